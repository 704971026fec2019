"""Parts of a place that carry no 区 or 镇, a new area's 直管区, size classes and neighbours:

- a part named at the head of its sentence with no suffix ("其中，虹桥全年实现地区生产总值…") has
  figures of its own, which answer neither the district's questions nor a question about another
  of its parts; a town the reports do not name ("七宝镇") has no figures in them;
- a new area's 直管区 and its 片区 are parts of it ("全域" asks the whole), and a 直管区 named in a
  list of targets does not make the targets after the next ； its own; a province named in full in
  a new area's report is the province; an area's committee named with a city after it
  ("…新区浦口管理委员会") is the area's;
- "过10亿元项目9个": a size class and its count, in Chinese and in English;
- new or total beside each other ("新增运营里程12.6公里，…运营总里程151公里"), "添了", "新增加了",
  "年末总量", a part the question names ("其中博士860多名"), a rate per thousand people;
- a metric given only for eleven months answers no full-year question, not even with another metric;
  nor does a neighbour's ("粮食播种面积…、蔬菜产量…"), industry's energy intensity, or an income's growth
  for the electricity used; "…5万套、竣工8万套" is the completed housing;
- a parenthesis ("（快报数，下同）①") splits no clause; "128 .5亿元" is one number;
- a follow-up "那2024年计划新建多少公里？" keeps the thing the question before counted.

Two short reports written for these tests (real place names, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.normalize import normalize_text
from written_reports import first_figure, library_of

DISTRICT = """政府工作报告
——2024年1月9日在上海市闵行区第七届人民代表大会第四次会议上

一、2023年工作回顾

全区地区生产总值达到3109.5亿元，增长5.6%。规模以上工业增加值完成812.4亿元、同比下降2.3%。其中，虹桥全年实现地区生产总值640.2亿元、增长7.9%，规上工业增加值增长8.8%；莘庄镇实现地区生产总值301.7亿元、增长4.1%。全区固定资产投资增长6.4%。
引进过亿元产业项目86个，过10亿元项目9个。
全年城镇新增就业6.21万人。新增养老床位410张，每千名户籍老人拥有养老床位达到38张。
轨道交通15号线南段开通运营，新增运营里程12.6公里，全区轨道交通运营总里程达到151公里。
全年引进和培育各类人才3.8万名，其中博士860多名。
前11个月，社会消费品零售总额下降1.7%。外贸进出口总额2216.8亿元、增长3.2%。
全区经营主体新登记4.2万户，年末总量达到38.6万户。
一般公共预算收入预计完成285.4亿元（快报数，下同）①，同口径增长4.9%，增速高于全市0.6个百分点。
全年粮食播种面积12.3万亩、蔬菜产量28万吨。单位规上工业增加值能耗下降4.2%。全区居民人均可支配收入增长5.1%。
建设筹集保障性住房1.2万套、竣工0.9万套。
"""

AREA = """<html><head><meta charset="utf-8"><title>2024年南京江北新区工作报告_政府工作报告</title></head><body>
<div class="top">南京江北新区浦口管理委员会门户网站</div>
<div class="nav">首页 &gt; 政务公开 &gt; 政府工作报告</div>
<table class="meta"><tr><td>发布机构：新区管委会办公室</td><td>成文日期：2024-01-18</td></tr></table>
<div class="article">
<p>一、2023年工作回顾</p>
<p>全年新区全域实现地区生产总值3586.4亿元、增长6.2%；其中，直管区实现地区生产总值1320.8亿元、增长7.5%，经济总量首次迈上千亿元台阶，增速居全市前列，江北新区浦口片区实现地区生产总值912.6亿元、增长5.9%。同期，江苏省地区生产总值达到128222.2亿元，南京市地区生产总值达到17421.4亿元。</p>
<p>直管区一般公共预算收入<span>128</span>
<span>.5</span>亿元、增长6.1%，其中税收收入101.2亿元。直管区社会消费品零售总额412.3亿元。</p>
<p>新建绿道42公里，新建城市道路28公里。</p>
<p>二、2024年工作安排</p>
<p>今年经济社会发展的主要预期目标是：直管区地区生产总值增长8%左右，带动新区全域地区生产总值增长6.5%左右；直管区规模以上工业增加值增长9%以上，固定资产投资增长7%左右；城镇新增就业3.2万人以上；居民消费价格涨幅3%左右。</p>
<p>新建城市道路35公里，新建绿道60公里。</p>
</div></body></html>
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "parts", {"minhang_2024.txt": DISTRICT, "jiangbei_2024.html": AREA})


def test_an_areas_committee_named_with_a_city_after_it_is_the_area(bot):
    places = {d.name: d.place for d in bot.documents()}
    assert places["minhang_2024.txt"] == "闵行区"
    assert places["jiangbei_2024.html"].endswith("江北新区")  # not 浦口区


@pytest.mark.parametrize("question, expected", [
    ("2023年闵行区规模以上工业增加值增长了多少？", "2.3%"),  # not 虹桥's
    ("2023年闵行区虹桥地区生产总值是多少？", "640.2亿元"),
    ("2023年闵行区虹桥固定资产投资增长多少？", ""),  # only the district's is given
    ("2023年闵行区七宝镇地区生产总值增长多少？", ""),  # a town the report does not name
    ("2023年闵行区引进过10亿元的项目有多少个？", "9个"),
    ("How many industrial projects worth over 1 billion yuan did Minhang attract in 2023?", "9个"),
    ("2023年闵行区一共添了多少张养老床位？", "410张"),  # not the rate per thousand
    ("2023年闵行区城镇新增加了多少就业人员？", "6.21万人"),
    ("2023年闵行区新开通的轨道交通一共增加了多少公里运营里程？", "12.6公里"),
    ("2023年闵行区引进和培育的博士有多少名？", "860名"),
    ("2023年闵行区社会消费品零售总额是多少？", ""),  # only eleven months' growth is given
    ("截至2023年末，闵行区经营主体总量达到多少户？", "38.6万户"),
    ("What was Minhang's general public budget revenue growth in 2023?", "4.9%"),
    ("2023年闵行区粮食产量是多少？", ""),  # 粮食 qualifies the sown area before it, not the vegetables' output
    ("2023年闵行区单位地区生产总值能耗下降了多少？", ""),  # only industry's energy intensity is given
    ("2023年闵行区全社会用电量增长多少？", ""),  # not the income's growth
    ("2023年闵行区保障性住房竣工多少套？", "0.9万套"),
    ("2023年江北新区全域地区生产总值是多少？", "3586.4亿元"),
    ("2023年江北新区全域的经济总量比上一年增长了多少？", "6.2%"),
    ("2023年江北新区全域一般公共预算收入是多少？", ""),  # only the 直管区's is given
    ("2023年江北新区直管区一般公共预算收入是多少？", "128.5亿元"),
    ("2023年江北新区直管区社会消费品零售总额是多少？", "412.3亿元"),
    ("2023年江北新区浦口片区地区生产总值是多少？", "912.6亿元"),
    ("2023年江苏省地区生产总值是多少？", "128222.2亿元"),
    ("2024年江北新区全域地区生产总值的增长目标是多少？", "6.5%"),
    ("2024年江北新区城镇新增就业目标是多少？", "3.2万人"),
])
def test_parts_size_classes_and_neighbours(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_a_follow_up_keeps_what_was_counted(bot):
    answer = bot.ask("那2024年计划新建多少公里？", ["2023年江北新区新建绿道多少公里？"])
    assert "绿道" in answer.standalone_question
    assert first_figure(answer) == "60公里", answer.text


def test_a_space_before_a_decimal_point_goes():
    assert normalize_text("一般公共预算收入128 .5亿元") == "一般公共预算收入128.5亿元"
