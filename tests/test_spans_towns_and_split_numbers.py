"""Figures of a span of years, of a town, of a place compared with, and numbers a format split:

- a paragraph that opens "回顾“十四五”以来的四年" and "四年年均增长…" give figures of the span
  ("多年"), which answer no question about one year; "PM2.5年均浓度" is still one year's;
- a town that is the subject of its sentence ("甘霖镇发挥…作用，实现地区生产总值…") and a new
  area's 新城 have figures of their own, not the whole place's;
- "高于绍兴市71.2%的平均水平" and "同期全省…增长5.4%" are the other place's figures;
- a size class ("超过50亿元的达到5家") is the one its count follows; 万千升 is a unit of output;
- "财政收入里来自税收的" asks the part; an English "how much … trade" asks an amount; an airport
  named after a city ("Nanchang Changbei Airport") does not make the question the city's;
- follow-ups that name another kind of the thing asked before ("农村居民呢？") or only a plan
  word ("那2024年力争达到多少？");
- "确保…、力争…" are two targets; "average annual PM2.5 concentration" is one year's; a report named
  with its year ("据…2025年政府工作报告") holds that year's plan and the year before's results;
- numbers split by a space between spans ("43 6.2亿元", "1. 26万套") and by a PDF's line break.

Two short reports written for these tests (real place names, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.load import load_document
from assistant.normalize import normalize_text
from test_formats import CHROMIUM, print_pdf
from written_reports import first_figure, library_of

COUNTY = """政府工作报告
——2025年1月10日在嵊州市第十七届人民代表大会第五次会议上

一、2024年工作回顾

全市地区生产总值达到812.6亿元，增长6.1%。黄酒产量达到3.62万千升。规上工业总产值超过百亿元的企业达到2家、超过50亿元的达到5家。PM2.5年均浓度降至24微克/立方米。
常住人口城镇化率继续高于绍兴市71.2%的平均水平，普惠性幼儿园覆盖率达到93.1%，完成森林抚育1.2万亩。前三季度全市地区生产总值增长5.8%，同期全省地区生产总值增长5.4%。
1—11月，全市外贸进出口总额完成236.5亿元，占绍兴市的比重为8.2%。
甘霖镇发挥产业重镇作用，实现地区生产总值96.3亿元、增长7.4%；长乐镇依托茶产业园区，茶叶产值增长9.2%。
新建、改扩建学校6所，新增床位320张。
回顾“十四五”以来的四年，我们经受住了多重考验，综合实力迈上新台阶。地区生产总值四年年均增长6.5%；累计新建、改扩建学校23所，新增医疗卫生机构床位980张。
“十四五”以来，全市累计完成固定资产投资1260.5亿元。

二、2025年主要预期目标

地区生产总值增长6%左右，城镇新增就业确保1.2万人、力争达到1.5万人。
"""

AREA = """<html><head><meta charset="utf-8"><title>赣江新区2024年政府工作报告</title></head><body>
<div class="nav">首页 &gt; 政务公开 &gt; 政府工作报告</div>
<table class="meta"><tr><td>发布机构：赣江新区管委会</td><td>发文日期：2024-02-05</td></tr></table>
<div class="article">
<p>一、2023年工作回顾</p>
<p>新区实现地区生产总值498.2亿元，增长8.3%；一般公共预算收入完成52.61亿元，其中税收收入43.18亿元。同期，南昌市实现地区生产总值7324.5亿元。</p>
<p>儒乐湖新城实现地区生产总值128.4亿元，增长9.1%；永修新城聚焦有机硅产业，全年接待游客386万人次。全年新区接待游客1052万人次。</p>
<p>技术合同成交额达到<span>43</span> <span>6.2</span>亿元。交付安置房<span>1.</span> <span>26</span>万套。</p>
<p>南昌昌北国际机场完成旅客吞吐量1183.6万人次。集装箱吞吐量完成21.4万标箱。</p>
<p>城镇居民人均可支配收入48215元、增长5.1%，农村居民人均可支配收入23610元、增长7.2%。</p>
<p>二、2024年主要预期目标</p>
<p>地区生产总值增长8%左右，全年集装箱吞吐量力争达到25万标箱。</p>
</div></body></html>
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "spans", {"shengzhou_2025.txt": COUNTY, "ganjiang_2024.html": AREA})


@pytest.mark.parametrize("question, expected", [
    ("2024年嵊州市地区生产总值增长多少？", "6.1%"),  # not the four years' average, not the town's
    ("2024年嵊州市经济总量比上一年增长了多少？", "6.1%"),
    ("“十四五”以来嵊州市地区生产总值年均增长多少？", "6.5%"),
    ("2024年嵊州市新建和改扩建了几所学校？", "6所"),
    ("2024年嵊州市新增了多少张床位？", "320张"),
    ("“十四五”以来嵊州市累计新建、改扩建学校多少所？", "23所"),
    ("2024年嵊州市固定资产投资是多少？", ""),  # only the four years' total is given
    ("How much fixed-asset investment did Shengzhou complete in total from the start of the 14th Five-Year Plan "
     "through 2024?", "1260.5亿元"),
    ("2024年嵊州市PM2.5年均浓度是多少？", "24微克/立方米"),
    ("What was the average annual PM2.5 concentration in Shengzhou in 2024?", "24微克/立方米"),  # one year's
    ("According to Shengzhou's 2025 government work report, what was the GDP?", "812.6亿元"),  # 2024's, in it
    ("据嵊州市2025年政府工作报告，全市地区生产总值是多少？", "812.6亿元"),
    ("2025年嵊州市城镇新增就业力争达到多少？", "1.5万人"),  # the reach, not the floor
    ("2025年嵊州市城镇新增就业确保完成多少？", "1.2万人"),
    ("2024年甘霖镇地区生产总值是多少？", "96.3亿元"),
    ("2024年嵊州市常住人口城镇化率是多少？", ""),  # the figure is 绍兴市's
    ("2024年绍兴市常住人口城镇化率是多少？", "71.2%"),
    ("2024年嵊州市森林覆盖率是多少？", ""),  # 普惠性幼儿园覆盖率 is another rate
    ("2024年前三季度浙江省地区生产总值增长多少？", "5.4%"),
    ("2024年嵊州市黄酒产量是多少？", "3.62万千升"),
    ("2024年嵊州市规上工业总产值超过50亿元的企业有多少家？", "5家"),
    ("How much was Shengzhou's total foreign trade in January-November 2024?", "236.5亿元"),
    ("2023年赣江新区全年接待游客多少人次？", "1052万人次"),  # not 永修新城's
    ("2023年赣江新区儒乐湖新城地区生产总值是多少？", "128.4亿元"),
    ("2023年赣江新区永修新城地区生产总值是多少？", ""),  # only 儒乐湖新城's is given
    ("2023年赣江新区财政收入里来自税收的有多少？", "43.18亿元"),
    ("2023年赣江新区技术合同成交额是多少？", "436.2亿元"),
    ("2023年赣江新区交付了多少套安置房？", "1.26万套"),
    ("According to Ganjiang New Area's 2024 work report, what was the GDP of Nanchang city in 2023?", "7324.5亿元"),
    ("How many passengers did Nanchang Changbei Airport handle in 2023, according to Ganjiang New Area's "
     "work report?", "1183.6万人次"),
])
def test_spans_towns_and_places_compared(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


@pytest.mark.parametrize("question, history, expected, figure", [
    ("农村居民呢？", ["2023年赣江新区城镇居民人均可支配收入是多少？"], "农村居民人均可支配收入", "23610元"),
    ("那2024年力争达到多少？", ["2023年赣江新区集装箱吞吐量完成了多少？"], "集装箱吞吐量", "25万标箱"),
])
def test_followups_naming_another_kind_or_only_a_plan_word(bot, question, history, expected, figure):
    answer = bot.ask(question, history)
    assert expected in answer.standalone_question
    assert first_figure(answer) == figure, answer.text


def test_a_space_inside_a_number_goes_but_not_one_before_a_year():
    assert normalize_text("技术合同成交额达到43 6.2亿元，交付1. 26万套") == "技术合同成交额达到436.2亿元，交付1.26万套"
    assert normalize_text("表1 2025年主要预期目标") == "表1 2025年主要预期目标"
    assert normalize_text("存款余额亿元11224 6.9") == "存款余额亿元11224 6.9"  # a table row's two cells


@pytest.mark.skipif(CHROMIUM is None, reason="needs /usr/bin/chromium to print test PDFs")
def test_a_number_a_pdf_line_break_splits_is_read_whole(tmp_path):
    numbers = ["1910.95亿元", "2106.38亿元", "15.44%", "376.84亿元", "1836.42亿元", "412.36亿元", "28.46万千升"]
    sentence = "，".join(f"第{n}项指标达到{x}" for n, x in enumerate(numbers, 1))
    # a narrow column that breaks anywhere: some numbers run over the line end
    markup = ("<!doctype html><html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Zen Hei';"
              "font-size:14pt} p{width:13em;word-break:break-all;text-align:justify}</style></head><body>"
              f"<p>一、2024年工作回顾</p><p>{sentence}。</p><p>{sentence}，全年完成。</p></body></html>")
    text = load_document(print_pdf(markup, tmp_path / "renhuai_2025.pdf")).text
    for x in numbers:
        assert x in text, text
