"""A table of last year's results beside this year's targets, a province's report quoting the
nation, a reprint in traditional characters, and follow-ups that change what is counted, on
three short reports written for these tests (real place names, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.query import rewrite_followup
from written_reports import first_figure, library_of

COUNTY_PAGE = """<html><head><meta charset="utf-8"><title>政府工作报告</title></head><body>
<h1>政府工作报告</h1>
<p>——2024年2月20日在庆元县第十七届人民代表大会第三次会议上</p>
<h2>一、2023年工作回顾</h2>
<p>全县地区生产总值达到98.6亿元、增长7.1%，增速比全省高1.1个百分点。年末常住人口20.3万人，比上年末增加0.4万人。</p>
<h2>二、2024年主要预期目标</h2>
<table>
<tr><th>序号</th><th>指标</th><th>2023年完成</th><th>2024年目标</th></tr>
<tr><td>1</td><td>地区生产总值增长</td><td>7.1%</td><td>7%左右</td></tr>
<tr><td>2</td><td>城镇登记失业率</td><td>2.2%</td><td>控制在3%以内</td></tr>
<tr><td>3</td><td>城镇新增就业（人）</td><td>1620</td><td>1300以上</td></tr>
</table>
<p>新增公办中小学学位2000个，其中高中学位600个。终端用能电气化比例提升至40%以上。</p>
</body></html>
"""

PROVINCE = """政府工作报告
——2024年1月22日在贵州省第十四届人民代表大会第二次会议上

一、2023年工作回顾

全省地区生产总值达到20913.3亿元、增长4.9%。从全国看，2023年国内生产总值增长5.2%，我省增速低于全国0.3个百分点；全国规模以上工业增加值增长4.6%。截至11月底，城镇登记失业人数降至9.8万人。新增国家级专精特新“小巨人”企业31家，总数达到95家。
"""

TRADITIONAL = """<html><head><meta charset="utf-8"><title>珠海市政府工作報告（全文）</title></head><body>
<p>——2025年1月16日在珠海市第十屆人民代表大會第六次會議上</p>
<p>一、2024年工作回顧</p>
<p>全市地區生產總值4479.1億元、增長4.9%，一般公共預算收入438.6億元。</p>
</body></html>
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "tables", {"qingyuan_2024.html": COUNTY_PAGE, "guizhou_2024.txt": PROVINCE,
                                                   "zhuhai_2025_trad.html": TRADITIONAL})


@pytest.mark.parametrize("question, expected", [
    ("庆元县2024年城镇登记失业率的目标是多少？", "3%"),  # the target column, not last year's 2.2%
    ("2023年庆元县城镇登记失业率是多少？", "2.2%"),
    ("2023年庆元县城镇新增就业多少人？", "1620人"),  # the unit named beside the row label
    ("What GDP growth target did Qingyuan County set for 2024?", "7%"),
    ("2023年庆元县地区生产总值增速比全省高出多少个百分点？", "1.1个百分点"),
    ("庆元县2024年新增的公办中小学学位里，高中学位有多少个？", "600个"),
    ("2024年庆元县终端用能电气化比例要提升到多少？", "40%"),
    ("2023年贵州地区生产总值增长了多少？", "4.9%"),  # not the nation's 5.2% quoted beside it
    ("2023年贵州到11月底城镇登记失业人数降到了多少？", "9.8万人"),
    ("珠海2024年一般公共預算收入是多少？", "438.6亿元"),  # a question in traditional characters
])
def test_tables_quotes_of_the_nation_and_traditional_characters(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_the_nations_figure_in_a_provinces_report_is_the_nations(bot):
    places = {f.written: f.place for f in bot.retriever.all_facts if f.source == "guizhou_2024.txt"}
    assert places["5.2%"] == "全国" and places["4.6%"] == "全国" and places["4.9%"] == "贵州省"


@pytest.mark.parametrize("history, question, expected", [
    ("2023年贵州新增国家级专精特新“小巨人”企业多少家？", "那总数达到了多少家？", "95家"),
    ("2023年末庆元县常住人口是多少？", "比上年末增加了多少？", "0.4万人"),
])
def test_follow_ups_that_change_what_is_counted(bot, history, question, expected):
    answer = bot.ask(question, history=[history])
    assert first_figure(answer) == expected, (answer.standalone_question, answer.text)


def test_a_follow_up_naming_a_sector_keeps_the_measure_and_one_naming_an_indicator_does_not():
    assert rewrite_followup("“四新”经济呢？", ["2022年前三季度“十强”产业增加值增长了多少？"]).endswith("“四新”经济增加值增长了多少？")
    assert "生产总值" not in rewrite_followup("那城镇新增就业呢？", ["浙江省2024年全省生产总值是多少？"])
