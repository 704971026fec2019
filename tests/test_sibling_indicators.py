"""Figures that sit beside the one asked and must not answer for it: the starting point of a
"由…提高到…", the province's figure in brackets ("高于全省（5.2%）"), a capital city's figure quoted in its province's report, a rate named after a
count (常住人口城镇化率 for 常住人口), the growth of the newly registered beside the growth of
the stock, a national count beside a provincial one; and figures that must answer although they look unlike the question: an amount in dollars,
an abbreviated measure (粮食总产), a targets table with 序号/单位/属性 columns, a follow-up
asking the total after a question about the number newly approved, English "school places",
the full-year investment of the projects started in a quarter, the count of a size class
("投资额超过一亿元的项目", which asks no 投资).
Three short reports written for these tests (real place names, made-up sentences and figures);
the new area's portal page labels its publisher in a table cell without a colon."""
from __future__ import annotations

import pytest

from assistant import Assistant
from written_reports import first_figure, library_of

PROVINCE = """政府工作报告
——2025年1月16日在湖南省第十四届人民代表大会第三次会议上

一、2024年工作回顾

全省地区生产总值达到53231亿元，增长4.8%。全省规上工业增加值增长7.2%。省会长沙加快建设先进制造业高地，规上工业增加值增长9.1%。粮食总产达到617.9亿斤，连续多年保持稳定。全省高铁营运里程突破2500公里。全社会固定资产投资增长3.6%。森林覆盖率由十年前的57.1%提高到59.98%。新获批全国重点实验室6家、总数达到24家，新建岳麓山、芙蓉2家省实验室、总数达到7家。

二、2025年主要预期目标

地区生产总值增长5.5%左右，城镇新增就业70万人以上。今年一季度集中开工项目1200个、总投资8600亿元，年度计划完成投资4100亿元。
"""

CITY = """襄阳市人民政府
政府工作报告
——2025年1月9日在襄阳市第十八届人民代表大会第五次会议上

一、2024年工作回顾

全市地区生产总值增长5.8%，增速分别高于全省（5.2%）和全国（5.0%）0.6个和0.8个百分点，高于年初确定的5.5%左右的预期目标。经营主体活力迸发。全年新登记经营主体9.21万户，增长21.4%；年末经营主体总量达到68.35万户，增长8.6%，其中企业17.02万户、增长11.5%，个体工商户51.33万户、增长7.7%。人口吸引力增强，年末常住人口527.1万人，常住人口城镇化率达到64.9%。开放合作走深走实，对外承包工程新签合同额5.62亿美元，完成营业额3.18亿美元。教育投入持续加大，新增公办学位1.6万个，新建改扩建学校31所。在全国先进制造业百强市排名中居第42位。全年推进860个亿元以上项目、150个十亿元以上项目建设。金融机构存贷比达到86%，比上年提高3个百分点。

二、2025年主要预期目标

地区生产总值增长6%左右，PM2.5平均浓度不高于35微克/立方米。
"""

NEW_AREA = """<html><head><meta charset="utf-8"><title>政府工作报告</title></head><body>
<div class="nav">首页 | 政务公开 | 政府工作报告</div>
<table class="meta">
<tr><td>索引号</td><td>11360000MB1234567X/2024-00031</td><td>主题分类</td><td>综合政务</td></tr>
<tr><td>发布机构</td><td>江西赣江新区管理委员会</td><td>文号</td><td>无</td></tr>
<tr><td>成文日期</td><td>2024-02-20</td><td>发布日期</td><td>2024-02-23</td></tr>
</table>
<h1>政府工作报告</h1>
<p>——2024年2月20日在江西赣江新区2024年工作会议上</p>
<p>一、2023年工作回顾</p>
<p>过去一年，新区地区生产总值增长8.1%，一般公共预算收入完成46.3亿元。</p>
<p>二、2024年主要预期目标</p>
<table>
<tr><th>序号</th><th>指标名称</th><th>单位</th><th>2024年预期目标</th><th>属性</th></tr>
<tr><td>1</td><td>地区生产总值增长</td><td>%</td><td>9左右</td><td>预期性</td></tr>
<tr><td>2</td><td>城镇调查失业率</td><td>%</td><td>控制在5.5%以内</td><td>预期性</td></tr>
<tr><td>3</td><td>新增城镇就业</td><td>万人</td><td>1.2以上</td><td>预期性</td></tr>
</table>
<div class="footer">主办单位：江西赣江新区管理委员会 网站标识码：3600000099</div>
</body></html>
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "siblings", {"hunan_2025.txt": PROVINCE, "xiangyang_2025.txt": CITY,
                                                     "ganjiang_2024.html": NEW_AREA})


def test_a_publisher_label_cell_is_not_part_of_the_place(bot):
    assert {d.name: d.place for d in bot.documents()}["ganjiang_2024.html"] == "江西赣江新区"


@pytest.mark.parametrize("question, expected", [
    ("2024年湖南森林覆盖率提高到了多少？", "59.98%"),  # not the starting point before 提高到
    ("2024年湖南省规上工业增加值增长多少？", "7.2%"),  # not its capital's, quoted in the next sentence
    ("2024年长沙市规上工业增加值增长多少？", "9.1%"),
    ("2024年湖南粮食总产量是多少？", "617.9亿斤"),  # 总产 is 总产量
    ("2024年湖南省全国重点实验室总数是多少？", "24家"),
    ("2025年湖南一季度集中开工项目年度计划完成投资多少？", "4100亿元"),  # a full-year figure of the quarter's projects
    ("How many provincial laboratories did Hunan have in total at the end of 2024?", "7家"),
    ("2024年襄阳市地区生产总值增长多少？", "5.8%"),
    ("2024年湖北省地区生产总值增长多少？", "5.2%"),  # the province's, named in brackets in the city's report
    ("襄阳2025年政府工作报告中提到，2024年湖北全省地区生产总值增长多少？", "5.2%"),  # the report named is the source
    ("襄阳2024年年初确定的地区生产总值增长预期目标是多少？", "5.5%"),  # the city's own target, not a gap's
    ("2025年襄阳市PM2.5平均浓度目标是多少？", "35微克/立方米"),
    ("2024年末襄阳市常住人口是多少？", "527.1万人"),  # not the urbanisation rate named after it
    ("2024年末襄阳市企业（不含个体工商户）有多少户？", "17.02万户"),
    ("2024年末襄阳市经营主体总量比上年增长了多少？", "8.6%"),  # not the newly registered's growth
    ("2024年襄阳市新登记经营主体增长多少？", "21.4%"),
    ("2024年襄阳市对外承包工程完成营业额是多少？", "3.18亿美元"),  # an amount asked without its currency
    ("How many new public school places did Xiangyang add in 2024?", "1.6万个"),
    ("2024年襄阳市推进了多少个十亿元以上项目？", "150个"),  # a size class the question names
    ("2024年襄阳市存贷比比上年提高了几个百分点？", "3个百分点"),  # 存贷比's 比 is no comparison
    ("2024年襄阳市推进了多少个投资额超过一亿元的项目？", "860个"),  # a size class, not an investment amount
    ("Where did Xiangyang rank in the national list of top 100 advanced manufacturing cities in 2024?", "42位"),
    ("赣江新区2024年城镇调查失业率目标要控制在多少？", "5.5%"),  # a table with 序号, 单位 and 属性 columns
    ("2024年赣江新区地区生产总值预期增长多少？", "9%"),
    ("赣江新区2024年新增城镇就业目标是多少？", "1.2万人"),
])
def test_the_figure_asked_and_not_its_neighbour(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text


def test_a_followup_asking_the_total_after_the_number_newly_approved(bot):
    answer = bot.ask("那总数达到了多少家？", ["2024年湖南省新获批全国重点实验室多少家？"])
    assert first_figure(answer) == "24家", (answer.standalone_question, answer.text)
