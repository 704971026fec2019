"""A review that restates last year's plan beside what was done, stocks beside the numbers
added, items of a list that share their verb or measure, residents' income by urban and rural,
a quarter inside a year, last year's target quoted beside this year's, zones named one after
another in a sentence, a WeChat copy's marked headings and a targets table with a remarks
column, on four short reports written for these tests (real place names, made-up sentences and
figures)."""
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

全市一般公共预算收入2456.7亿元、增长3.5%，新增科技型中小企业2000家，全市工业投资增长5.5%。中欧班列自2012年首发以来累计开行突破3000列，全年开行500列。苏州工业园区地区生产总值增长5.8%、实际使用外资增长10%；苏州高新区规上工业总产值增长6.2%、一般公共预算收入增长4.1%；太湖科学城新增科技型企业300家，一般公共预算收入增长7.5%。
"""


WECHAT = """安徽发布
原创 安徽发布 2024-01-24 08:30 安徽

划重点：✅全年一般公共预算收入3939亿元

📌【一、2023年工作回顾】
全年一般公共预算收入3939亿元。实到外资21亿美元，未能完成年初确定的25亿美元目标。年初排定的省重点项目900个，年度计划投资8000亿元，实际完成投资8600亿元。在2024中国民营企业500强榜单中，我省有8家企业入围。全社会研发投入强度达到2.6%，研发经费投入1150亿元。全年民生支出6800亿元，占一般公共预算支出的84.5%。

📌【二、2024年主要预期目标】
去年年初我们确定的经济增长目标为5.5%左右，实际完成5.8%；一般公共预算收入增长目标为5%，实际增长7.3%。今年地区生产总值增长6%左右。

点击关注 阅读原文
"""

TARGETS_TABLE = """<html><head><meta charset="utf-8"><title>温岭市2025年政府工作报告</title></head><body>
<p>温岭市人民政府</p>
<p>——2025年1月10日在温岭市第十七届人民代表大会第五次会议上</p>
<p>二、2025年主要预期目标</p>
<table>
<tr><td>指标</td><td>2024年完成</td><td>2025年目标</td><td>备注</td></tr>
<tr><td>地区生产总值增速</td><td>6.5%</td><td>6%左右</td><td>在实际工作中力争更好结果</td></tr>
<tr><td>社会消费品零售总额增速</td><td>5.2%</td><td>5%以上</td><td></td></tr>
<tr><td>城镇新增就业</td><td>2.6万人</td><td>2.5万人以上</td><td>城镇登记失业率控制在3%以内</td></tr>
</table>
</body></html>
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "reviews", {"jiangxi_2025.txt": PROVINCE, "suzhou_2024.txt": CITY,
                                                    "anhui_2024_wechat.txt": WECHAT, "wenling_2025.html": TARGETS_TABLE})


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
    ("2023年苏州市工业投资增长多少？", "5.5%"),
    ("截至2023年，苏州中欧班列累计开行多少列？", "3000列"),  # "自2012年首发以来" is no year of the figure
    ("2024年江西省大中型项目年度计划投资是多少？", "1.2万亿元"),  # a planned amount, in a reviewed year
])
def test_reviews_lists_and_zones(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


@pytest.mark.parametrize("question, expected", [
    ("安徽2023年年初确定的一般公共预算收入增长目标是多少？", "5%"),  # last year's, restated in this year's section
    ("2023年安徽一般公共预算收入实际增长多少？", "7.3%"),
    ("2023年安徽经济实际增长多少？", "5.8%"),
    ("安徽2023年年初定的实到外资目标是多少？", "25亿美元"),
    ("安徽2024年一般公共预算收入预计达到多少亿元？", ""),  # the opening repeats last year's figure
    ("2023年安徽省重点项目年度计划投资是多少？", "8000亿元"),
    ("2023年安徽省重点项目实际完成投资多少？", "8600亿元"),
    ("2023年安徽有多少家企业入围中国民营企业500强？", "8家"),  # not the list's year, nor its size
    ("2023年安徽全社会研发投入强度是多少？", "2.6%"),  # an intensity is a share, not the amount beside it
    ("2023年安徽财政花在民生上的钱有多少？", "6800亿元"),  # the money, not its share of spending
    ("温岭市2025年社会消费品零售总额增长目标是多少？", "5%"),  # a targets table with a remarks column
    ("2024年温岭市社会消费品零售总额增长多少？", "5.2%"),
    ("温岭2025年城镇登记失业率要控制在多少以内？", "3%"),  # a target given in the remarks
])
def test_wechat_copies_and_a_targets_table_with_remarks(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_a_followup_asking_what_was_done_drops_the_plan_and_one_comparing_keeps_it():
    done = rewrite_followup("2023年实际建了多少所？", ["2025年南昌市计划新建、改扩建多少所中小学和幼儿园？"])
    assert done.startswith("2023年") and "计划" not in done
    added = rewrite_followup("比上年增加了多少？", ["2025年我国拟安排地方政府专项债券多少？"])
    assert "拟" in added and "实际" not in added
    total = rewrite_followup("总投资是多少？", ["2024年滨海新区引进落地项目多少个？"])
    assert "落地项目总投资" in total
