"""A zone's own report and the zones inside it, rows of a table read as text, parts of a whole,
and follow-ups that keep what the question before named:

- a 合作区's portal page whose publisher line runs on into its date ("信息来源：…管理委员会发布日期：…");
  its sub-areas' figures ("鹅埠片区加快…，…") are theirs, not the whole area's;
- an autonomous region asked in English by its English name (Inner Mongolia), one of two places
  that share a pinyin (Suzhou) taken from the library;
- "分别增长…" over the items of earlier clauses, a table row "存款余额亿元11224 6.9" with its unit
  cell before the value, "其中科创板上市企业" that is no answer for all listed firms, a change of
  share in 个百分点 that is no growth, "增长1.8倍", "几倍", "17万新生", "比上年增加了多少万人";
- standard indicators (房地产开发投资 is not 民间投资), everyday words (花在民生方面的支出).

- a city's report quoting its province's target ("与省里提出的全省…增长5%左右的预期相衔接") and
  its capital asked in English (Harbin); trade with one partner (对俄进出口) that is no answer for
  all trade; 单位地区生产总值能耗 that is not GDP; a table whose growth column says "增长%";
  "实际利用外资" for 实际使用; a contribution ("拉动…增长1.6个百分点") of the figure before it.

Three short reports written for these tests (real place names, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from written_reports import first_figure, library_of

ZONE = """<html><head><meta charset="utf-8"><title>2024年深汕特别合作区政府工作报告_规划计划</title></head><body>
<div class="nav">首页 &gt; 政务公开 &gt; 规划计划</div>
<div class="info"><span>信息来源：深汕特别合作区管理委员会</span><span>发布日期：2024-02-02</span><span>浏览次数：321</span></div>
<div class="article">
<p>——2024年1月30日在深汕特别合作区高质量发展大会上</p>
<p>一、2023年工作回顾</p>
<p>全区实现地区生产总值156.2亿元，增长10.1%。规模以上工业总产值达到412.6亿元。</p>
<p>鹅埠片区加快产业导入，全年实现规上工业总产值188.3亿元，高新技术产业产值占规上工业总产值比重达到58.2%。</p>
<p>资本市场加快壮大，全年新增上市企业2家，累计境内外上市企业达到9家，其中科创板上市企业4家。</p>
<p>外贸结构持续优化，一般贸易进出口占比提高3.1个百分点。企业引进海外高端人才增长1.8倍。</p>
<p>全年接待游客820万人次，实现旅游收入61.3亿元，分别增长15.2%和19.6%。全区民生支出达到38.4亿元。</p>
<p>全区固定资产投资增长12.4%，民间投资增长9.1%。</p>
<p>附件：2023年主要经济指标完成情况指标单位绝对值比上年增长（%）；金融机构本外币存款余额亿元386.5 7.2；常住人口万人8.62 1.1。</p>
<p>二、2024年主要预期目标</p>
<p>地区生产总值增长10%左右。</p>
</div>
<div class="footer">主办单位：深汕特别合作区管理委员会</div>
</body></html>
"""

REGION = """政府工作报告
——2024年1月25日在内蒙古自治区第十四届人民代表大会第二次会议上

一、2023年工作回顾

全区地区生产总值达到24627亿元，增长7.3%。人均地区生产总值超过10万元，相当于全国平均水平的1.12倍。积极应对入学高峰，12万新生顺利入学。
养老保险参保人数达到1350万人。对上合组织国家进出口额增长28.6%，货物进出口总额增长18.4%。

二、2024年主要预期目标

地区生产总值增长6%左右。
"""


CITY = """<html><head><meta charset="utf-8"><title>牡丹江市2025年政府工作报告</title></head><body>
<p>——2025年1月9日在牡丹江市第十七届人民代表大会第五次会议上</p>
<p>一、2024年工作回顾</p>
<p>全市地区生产总值增长4.1%。规模以上高技术制造业增加值增长18.5%，拉动规模以上工业增加值增长1.6个百分点。国际友城增至12个。
实际利用外资1.1亿美元。省会哈尔滨市接待游客1.79亿人次。</p>
<table>
<tr><td>指标</td><td>2024年</td><td>增长%</td></tr>
<tr><td>规上工业总产值（亿元）</td><td>612.4</td><td>6.2</td></tr>
<tr><td>社会消费品零售总额（亿元）</td><td>—</td><td>4.8</td></tr>
</table>
<p>二、2025年主要预期目标</p>
<p>地区生产总值增长5.5%左右，对俄进出口增长8%以上。上述目标与省里提出的全省地区生产总值增长5%左右的预期相衔接。</p>
</body></html>
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "zones", {"shenshan_2024.html": ZONE, "neimenggu_2024.txt": REGION,
                                                  "mudanjiang_2025.html": CITY})


def test_a_zone_report_whose_publisher_line_runs_on_into_its_date(bot):
    assert {d.name: d.place for d in bot.documents()}["shenshan_2024.html"] == "深汕特别合作区"


@pytest.mark.parametrize("question, expected", [
    ("2023年深汕特别合作区鹅埠片区规上工业总产值是多少？", "188.3亿元"),  # the sub-area's
    ("2023年深汕特别合作区规模以上工业总产值是多少？", "412.6亿元"),  # not the sub-area's
    ("截至2023年深汕特别合作区总共有多少家上市公司？", "9家"),  # not the part "其中科创板…"
    ("2023年深汕特别合作区进出口总额比上年增长了多少？", ""),  # only a share's change is given
    ("2023年深汕特别合作区企业引进海外高端人才增长了多少？", "1.8倍"),
    ("2023年深汕特别合作区旅游收入增长了多少？", "19.6%"),  # 分别 over the clauses before it
    ("2023年深汕特别合作区接待游客增长了多少？", "15.2%"),
    ("2023年末深汕特别合作区金融机构本外币存款余额是多少？", "386.5亿元"),  # the unit cell before the value
    ("2023年深汕特别合作区花在民生方面的财政支出有多少？", "38.4亿元"),
    ("2023年深汕特别合作区房地产开发投资增长多少？", ""),  # 民间投资 is another indicator
    ("2023年内蒙古人均GDP相当于全国平均水平的几倍？", "1.12倍"),
    ("2023年内蒙古养老保险参保人数比上年增加了多少万人？", ""),  # only the level is given
    ("What was Inner Mongolia's GDP in 2023?", "24627亿元"),
    ("By how much did Inner Mongolia's trade with SCO countries grow in 2023?", "28.6%"),
    ("牡丹江市2025年政府工作报告提到的黑龙江全省2025年地区生产总值增长预期是多少？", "5%"),
    ("2025年牡丹江市地区生产总值增长目标是多少？", "5.5%"),
    ("2025年牡丹江市外贸进出口总额的增长目标是多少？", ""),  # only trade with Russia is given
    ("2025年牡丹江市单位地区生产总值能耗下降目标是多少？", ""),  # not the GDP target
    ("How many tourist visits did Harbin receive in 2024?", "1.79亿人次"),
    ("2024年牡丹江市规上工业总产值增长多少？", "6.2%"),  # the table's 增长% column
    ("2024年牡丹江市规上工业总产值是多少？", "612.4亿元"),
    ("2024年牡丹江市实际使用的外商投资金额是多少？", "1.1亿美元"),
    ("2024年牡丹江市规模以上高技术制造业增加值拉动规模以上工业增加值增长了多少个百分点？", "1.6个百分点"),
    ("截至2024年，牡丹江市的国际友好城市增加到多少个？", "12个"),
])
def test_zones_rows_and_parts(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_a_count_of_people_written_with_no_counter(bot):
    assert bot.ask("2023年内蒙古有多少名孩子顺利上了小学？").text.startswith("12万")  # "12万新生"


@pytest.mark.parametrize("question, history, expected", [
    ("那全区发电量呢？", ["2023年内蒙古地区生产总值是多少？"], "内蒙古全区发电量"),  # 全区 keeps the place named before
    ("累计一共有多少家？", ["2023年深汕特别合作区新增了多少家上市企业？"], "总数多少家上市企业"),
    ("其中高新技术产业产值占比呢？", ["2023年深汕特别合作区鹅埠片区规上工业总产值是多少？"], "深汕特别合作区鹅埠片区"),
])
def test_followups_keep_what_the_question_before_named(bot, question, history, expected):
    assert expected in bot.ask(question, history).standalone_question
