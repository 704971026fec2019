"""Three page styles of real reports, each written for these tests with real place names and
made-up sentences and figures: a province's illustrated summary (图解: bracket headings, one
item a line, labels and figures on separate lines), a city's report from a newspaper's
e-paper (short columns, a page jump inside a sentence, the masthead repeated) and an
autonomous prefecture's report pasted from a PDF (全州, running page headers)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from written_reports import first_figure, library_of

SUMMARY = """图解｜一图读懂2024年省政府工作报告

1月26日，甘肃省第十四届人民代表大会第二次会议开幕，省长代表省人民政府作政府工作报告。

━━━━━━━━━━━━
【2023年成绩单】
━━━━━━━━━━━━

■ 一、经济运行稳中向好

地区生产总值 11863.8亿元 增长6.4%
（同期全国经济增长5.2%）
规模以上工业增加值
增长7.6%
固定资产投资 增长5.9%
其中，高技术制造业投资 增长31.2% 高于全国21个百分点
▶ 省重点项目 完成投资2300亿元
▶ 新增规上工业企业 210家

【关键词速览】
稳增长｜强工业｜兴文旅

■ 二、民生持续改善

城镇新增就业 34.2万人
“五一”假期接待游客1520万人次、实现旅游收入98.3亿元
全年接待游客3.9亿人次、实现旅游总收入2700亿元

【2024年预期目标】

地区生产总值增长6%左右
固定资产投资增长5%
▶ 省重点项目 完成投资2500亿元

来源：省政府办公厅
"""

NEWSPAPER = """银川日报　2025年1月16日　第03版

政府工作报告
——二〇二五年一月十日在银川市第十七届人民代表大会第五次会议上
银川市市长　何志远

　　一、2024年工作回顾
　　过去一年，全市地区生产总值
达到3125.6亿元、增长5.8%。其中
前三季度增长5.1%。经银川海关监
管的中欧班列进出（下转第04版）

银川日报　2025年1月16日　第04版
（上接第03版）
口货值86.4亿元、增长7.2%。
　　二、2025年主要目标
　　地区生产总值增长6%左右。
"""

PREFECTURE = """政府工作报告
——2025年1月8日在湘西土家族苗族自治州第十五届人民代表大会第五次会议上
州长　彭立新

一、2024年工作回顾

全州地区生产总值首次迈上800亿元台阶，达到812.4亿元，按可比价格计算增长5.3%，高于全省0.5个
湘西州政府工作报告
百分点。年初确定的地区生产总值增长6.5%左右的预期目标未能完全实现。

二、2025年主要目标

全州地区生产总值增长5.5%左右。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "page-style", {"gansu_2024_tujie.txt": SUMMARY,
                                                       "yinchuan_2025_paper.txt": NEWSPAPER, "xiangxi_2025.txt": PREFECTURE})



def test_each_documents_place_and_year(bot):
    docs = {d.name: (d.place, d.year) for d in bot.documents()}
    assert docs["gansu_2024_tujie.txt"] == ("甘肃省", 2024)
    assert docs["yinchuan_2025_paper.txt"] == ("银川市", 2025)
    assert docs["xiangxi_2025.txt"][0].startswith("湘西") and docs["xiangxi_2025.txt"][1] == 2025


@pytest.mark.parametrize("question, expected", [
    ("2023年甘肃省规模以上工业增加值增长了多少？", "7.6%"),  # label and figure on two lines
    ("2023年甘肃省重点项目完成投资多少？", "2300亿元"),  # under 【2023年成绩单】, not the 2024 target
    ("2024年甘肃省重点项目计划完成投资多少？", "2500亿元"),
    ("2023年甘肃高技术制造业投资增速比全国高出多少？", "21个百分点"),  # the gap the report states
    ("2023年甘肃全年实现旅游总收入多少？", "2700亿元"),
    ("2024年银川市前三季度地区生产总值增长多少？", "5.1%"),
    ("2024年经银川海关监管的中欧班列进出口货值是多少？", "86.4亿元"),  # across a page jump
    ("2024年湘西地区生产总值是多少？", "812.4亿元"),  # the bare short name of a library prefecture
    ("2024年湘西州地区生产总值增长了多少？", "5.3%"),  # the result of a reviewed year, not its target
])
def test_figures_of_three_page_styles(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_a_holiday_figure_is_not_the_years(bot):
    answer = bot.ask("2023年甘肃省旅游收入是多少？")
    assert first_figure(answer) != "98.3亿元", answer.text


def test_the_items_of_a_summary_are_clauses_and_its_furniture_is_gone(bot):
    texts = [p.text for p in bot.retriever.paragraphs.values()]
    assert any("固定资产投资增长5.9%；其中，高技术制造业投资" in t for t in texts)
    assert not any("下转" in t or "上接" in t or "银川日报" in t and "进出口货值" in t for t in texts)
    sections = {p.section for p in bot.retriever.paragraphs.values() if "11863.8" in p.text}
    assert sections and all(s.startswith("【2023年成绩单】") for s in sections), sections
