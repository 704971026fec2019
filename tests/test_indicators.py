"""Indicators of one family told apart, targets restated in a review, and the page noise of a
WeChat copy, on two short reports written for these tests (real place names, made-up
sentences and figures): a city's report and a county-level city's report copied from a
public account, with a Markdown table of targets and a photo caption inside a sentence."""
from __future__ import annotations

import pytest

from assistant import Assistant
from written_reports import first_figure, library_of

CITY = """政府工作报告
——2025年1月14日在台州市第六届人民代表大会第五次会议上

一、2024年工作回顾

过去一年，全市地区生产总值达到6950.2亿元、增长5.7%，约占全省的7.8%。对照市六届人大四次会议确定的年度目标，固定资产投资原定增长8%，实际增长4.2%；一般公共预算收入原定增长5%，实际增长6.1%，比浙江省下达的6%的年度目标高出0.1个百分点。

工业投资超过900亿元、增长11.3%，技术改造投资增长9.6%，制造业投资占固定资产投资比重持续提高。工业经济稳中有进，其中规上工业战略性新兴产业增加值增长12.1%；建筑业总产值1820亿元。

全体居民人均可支配收入67210元，扣除价格因素实际增长5.2%。城乡居民医保人均财政补助标准提高30元、达到670元。经营主体净增4.6万户、总量突破78万户。

黄岩区地区生产总值突破800亿元、增长6.1%，一般公共预算收入超过60亿元；温岭市地区生产总值达到1400亿元以上。

二、2025年主要目标和重点工作

今年经济社会发展主要预期目标是：地区生产总值增长5.5%左右，一般公共预算收入增长4%。跨境电商进出口额力争突破一千亿元。全年安排重点建设项目320个，总投资4100亿元，年度计划投资1150亿元。城乡居民基础养老金月最低标准提高25元。
"""

COUNTY = """点击蓝字 关注我们

# 重磅！政府工作报告全文发布

来源：市融媒体中心

——2024年1月10日在临海市第十七届人民代表大会第四次会议上

**一、2023年工作回顾**

教育事业均衡发展。新建、改扩建学校9所，新增公办学位

![](https://example.invalid/school.jpg)

▲新投用的学校迎来首批学生。（资料图）

6800个，超额完成年度计划。

**二、2024年主要预期目标**

| 指标 | 2024年预期目标 |
| --- | --- |
| 地区生产总值 | 增长6%左右 |
| 固定资产投资 | 增长7%以上 |

编辑 | 王小明
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "indicator", {"taizhou_2025.txt": CITY, "linhai_2024.md": COUNTY})



@pytest.mark.parametrize("question", [
    "2024年台州市固定资产投资完成了多少亿元？",  # 工业投资 is a sibling, not the total
    "2024年台州市规上工业增加值增长了多少？",  # only a narrower one (战略性新兴产业) is given
    "2024年台州市建筑业增加值是多少？",  # 总产值 is another measure
    "2024年台州市居民人均消费支出是多少？",  # 医保补助 names no 支出
    "2024年台州市一般公共预算收入是多少亿元？",  # 超过60亿元 is 黄岩区's, to the ；
    "2024年浙江省一般公共预算收入增长了多少？",  # 比浙江省下达的…: the province is only compared with
])
def test_another_indicator_or_place_of_the_same_family_is_no_answer(bot, question):
    answer = bot.ask(question)
    assert answer.abstained, answer.text


@pytest.mark.parametrize("question, expected", [
    ("2024年台州市固定资产投资原定增长目标是多少？", "8%"),
    ("2024年台州市固定资产投资实际增长了多少？不是年初的目标。", "4.2%"),
    ("2024年台州市全体居民人均可支配收入实际增长多少？", "5.2%"),
    ("2024年黄岩区一般公共预算收入是多少？", "60亿元"),
    ("2025年台州市跨境电商进出口额力争突破多少？", "1000亿元"),
    ("2025年台州市重点建设项目年度计划投资是多少？", "1150亿元"),
    ("2024年台州市经营主体净增加了多少户？", "4.6万户"),
    ("2025年台州市城乡居民基础养老金月最低标准要涨多少钱？", "25元"),
    ("2024年临海市固定资产投资预期增长多少？", "7%"),
    ("2023年临海市新增公办学位多少个？", "6800个"),
])
def test_targets_in_a_review_numerals_units_and_page_noise(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_a_follow_up_about_its_share_of_the_province(bot):
    answer = bot.ask("它占全省的多少？", history=["2024年台州市地区生产总值是多少？"])
    assert first_figure(answer) == "7.8%", (answer.standalone_question, answer.text)


def test_the_targets_of_the_reviewed_year_are_plans(bot):
    facts = {(f.metric, f.written): f.kind for f in bot.retriever.all_facts if f.source == "taizhou_2025.txt"}
    assert facts[("固定资产投资增长", "8%")] == "plan" and facts[("固定资产投资增长", "4.2%")] == "result"


def test_a_markdown_table_and_a_caption_read_as_report_lines(bot):
    docs = {d.name: d for d in bot.documents()}
    assert docs["linhai_2024.md"].place == "临海市" and docs["linhai_2024.md"].year == 2024
    texts = [p.text for p in bot.retriever.paragraphs.values() if p.source == "linhai_2024.md"]
    assert any("固定资产投资 增长7%以上" in t for t in texts)
    assert not any("资料图" in t or "example.invalid" in t for t in texts)
