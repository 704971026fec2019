"""A review that restates last year's plan beside what was done, stocks beside the numbers
added, items of a list that share their verb or measure, residents' income by urban and rural,
a quarter inside a year, last year's target quoted beside this year's, and zones named one after
another in a sentence, on two short reports written for these tests (real place names,
made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.query import rewrite_followup
from written_reports import first_figure, library_of

PROVINCE = """政府工作报告
——2025年1月15日在江西省第十四届人民代表大会第四次会议上

一、2024年工作回顾

全省地区生产总值达到34202.5亿元、增长5.1%，比年初确定的5%左右的预期目标高出0.1个百分点，增速高于全国0.1个百分点，其中四季度当季增长5.6%。年初我们提出为经营主体减负800亿元以上，全年实际减负超过960亿元。年初计划新开工改造城镇老旧小区1200个，全年实际新开工1385个。年初安排的省大中型项目3000个、年度计划投资1.2万亿元，全年实际完成投资1.36万亿元。
年末全省常住人口4502万人，比上年末增加5万人。截至年末，全省公路总里程达到21.3万公里，其中高速公路6831公里。新增国家级企业技术中心6家、工程研究中心9家。居民人均可支配收入增长5.3%，其中城镇居民和农村居民人均可支配收入分别增长4.5%和6.4%。城镇居民人均可支配收入48500元，农村居民人均可支配收入23300元。

二、2025年主要预期目标

地区生产总值增长5%左右；居民消费价格涨幅2%左右，比上年的3%左右有所下调。
"""

CITY = """苏州市政府工作报告
——2024年1月16日在苏州市第十七届人民代表大会第三次会议上

一、2023年工作回顾

全市一般公共预算收入2456.7亿元、增长3.5%，新增科技型中小企业2000家。苏州工业园区地区生产总值增长5.8%、实际使用外资增长10%；苏州高新区规上工业总产值增长6.2%、一般公共预算收入增长4.1%；太湖科学城新增科技型企业300家，一般公共预算收入增长7.5%。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "reviews", {"jiangxi_2025.txt": PROVINCE, "suzhou_2024.txt": CITY})


@pytest.mark.parametrize("question, expected", [
    ("2024年江西实际为经营主体减负多少？", "960亿元"),  # not the plan restated beside it
    ("2024年年初江西提出为经营主体减负的目标是多少？", "800亿元"),
    ("2024年江西城镇老旧小区实际新开工改造了多少个？", "1385个"),
    ("江西省2024年年初确定的地区生产总值预期增长目标是多少？", "5%"),
    ("2024年江西省大中型项目全年实际完成投资多少？", "1.36万亿元"),
    ("2024年江西地区生产总值比上一年增长多少？", "5.1%"),  # not the 0.1-point gap to the nation
    ("2024年第四季度江西地区生产总值当季增长多少？", "5.6%"),
    ("2024年江西常住人口净增了多少？", "5万人"),  # the number added, not the stock
    ("截至2024年末，江西省高速公路里程有多少公里？", "6831公里"),  # 其中: the total's sub-item
    ("2024年江西新增的工程研究中心有多少家？", "9家"),  # the list's 新增 is its own too
    ("2024年江西居民人均可支配收入增长多少？", "5.3%"),
    ("2024年江西全体居民人均可支配收入是多少元？", ""),  # only urban and rural amounts are given
    ("2024年江西城里居民人均可支配收入是多少？", "48500元"),
    ("江西2025年居民消费价格涨幅目标是多少？", "2%"),  # not last year's 3% quoted beside it
    ("What CPI target did Jiangxi set for 2025?", "2%"),
    ("2023年苏州高新区一般公共预算收入增长多少？", "4.1%"),  # each ；-part is its own zone's
    ("2023年太湖科学城一般公共预算收入增长多少？", "7.5%"),
    ("2023年苏州高新区新增科技型企业多少家？", ""),  # only 太湖科学城's is given
])
def test_reviews_lists_and_zones(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_a_followup_asking_what_was_done_drops_the_plan_and_one_comparing_keeps_it():
    done = rewrite_followup("2023年实际建了多少所？", ["2025年南昌市计划新建、改扩建多少所中小学和幼儿园？"])
    assert done.startswith("2023年") and "计划" not in done
    added = rewrite_followup("比上年增加了多少？", ["2025年我国拟安排地方政府专项债券多少？"])
    assert "拟" in added and "实际" not in added
    total = rewrite_followup("总投资是多少？", ["2024年滨海新区引进落地项目多少个？"])
    assert "落地项目总投资" in total
