"""Wordings of real reports that once gave a wrong figure or no answer, on three short reports
written for these tests (a made-up district, a made-up new area and a real county's name with
made-up sentences and figures): figures of the enclosing city or province in a district's
report, size classes ("超过500亿元的"), milestones ("迈上…新台阶"), a metric the report gives
only as a growth rate, what a question says it is not asking, the noun a question counts,
the source a question names, English follow-ups with a metric of their own, a header that
names the new area only beside its 党工委管委会, a two-character county and its city's
figure, and a period to the end of November."""
from __future__ import annotations

import pytest

from assistant import Assistant
from written_reports import first_figure, library_of

DISTRICT = """政府工作报告
——2024年1月12日在临江区第五届人民代表大会第三次会议上
区长 周明远

一、2023年工作回顾

过去一年，全区地区生产总值达到1860.4亿元，迈上1800亿元新台阶，比上年增长6.2%；一般公共预算收入112.7亿元、增长5.5%；社会消费品零售总额增长7.1%。同期，全市生产总值增长5.0%，全省生产总值增长4.8%，我区主要指标增速好于全市、全省。全区12个街道中，地区生产总值超过100亿元的达到5个。

民生实事扎实办好。75所学校完工，提供学位约4.2万个。解决了1.6万户居民房屋“办证难”问题。新增高新技术企业96家、总数达到655家。新建5G基站1200个，累计建成8600个。

科技创新加快。中试基地算力规模突破2000P。
"""

NEW_AREA = """# 政府工作报告

——2024年2月8日在云岭滨湖新区党工委管委会第六次全体会议上

## 一、2023年工作回顾

新区实现地区生产总值2310.6亿元，增长6.8%；全市汽车产量达到120万辆，新能源汽车产量突破30万辆；新区工业投资增长12.4%。
"""

# a real county's name with made-up sentences and figures: its parent city comes from the gazetteer
COUNTY = """政府工作报告
——2025年1月9日在眉县第十八届人民代表大会第五次会议上
县长 赵启航

一、2024年工作回顾
全县地区生产总值完成172.4亿元，增长4.1%。固定资产投资全年增长2.7%，其中前三季度增长8.6%；城镇居民人均可支配收入41230元。安排县级重点项目52个，总投资236亿元。宝鸡市全年外贸进出口总额增长12.6%，我县组织猕猴桃企业参加展会15场次。粮食播种面积稳定在21.3万亩。截至11月底，城镇新增就业4600人。
"""


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "wording",
                      {"linjiang_2024.txt": DISTRICT, "binhu_2024.md": NEW_AREA, "meixian_2025.txt": COUNTY})



def test_a_districts_report_keeps_the_citys_and_provinces_figures_apart(district):
    assert first_figure(district.ask("2023年临江区地区生产总值增长了多少？")) == "6.2%"
    assert first_figure(district.ask("By how much did Linjiang District's GDP grow in 2023?")) == "6.2%"
    places = {f.figure: f.place for f in district.retriever.all_facts}
    assert places["4.8%"] != places["6.2%"] and places["5%"] != places["6.2%"]


def test_a_size_class_and_a_milestone_are_not_the_value(district):
    assert first_figure(district.ask("2023年临江区地区生产总值是多少？")) == "1860.4亿元"


def test_a_metric_given_only_as_a_growth_rate_has_no_amount(district):
    assert district.ask("2023年临江区社会消费品零售总额是多少亿元？").abstained


def test_what_the_question_says_it_is_not_asking_is_left_out(district):
    answer = district.ask("截至2023年临江区高新技术企业达到多少家（不是当年新增的）？")
    assert first_figure(answer) == "655家", answer.text


def test_the_noun_a_question_counts_picks_the_figure(district):
    assert first_figure(district.ask("2023年临江区完工的学校提供了多少学位？")) == "4.2万个"
    assert first_figure(district.ask("2023年临江区帮多少户居民解决了房屋办证难？")) == "1.6万户"


def test_english_built_asks_for_the_new_ones_not_the_cumulative(district):
    answer = district.ask("How many 5G base stations did Linjiang District build in 2023?")
    assert first_figure(answer) == "1200个", answer.text


def test_an_english_follow_up_with_its_own_metric_keeps_it(district):
    answer = district.ask("And how many new high-tech enterprises did the district add that year?",
                          history=["What was Linjiang District's GDP in 2023?"])
    assert first_figure(answer) == "96家", (answer.standalone_question, answer.text)


def test_computing_power_in_p_is_a_figure(district):
    assert first_figure(district.ask("临江区2023年中试基地算力规模突破多少？")) == "2000P"


def test_a_new_areas_header_beside_its_party_committee_names_the_area(district):
    docs = {d.name: d for d in district.documents()}
    assert docs["binhu_2024.md"].place.endswith("滨湖新区"), docs["binhu_2024.md"]
    assert first_figure(district.ask("2023年滨湖新区地区生产总值是多少？")) == "2310.6亿元"
    # the city's car output, in the clause after 全市, is not the area's
    assert district.ask("2023年滨湖新区新能源汽车产量是多少？").abstained


def test_the_report_a_question_cites_is_not_the_place_it_asks_about(district):
    answer = district.ask("据临江区政府工作报告，2023年滨湖新区地区生产总值是多少？")
    assert first_figure(answer) == "2310.6亿元", answer.text


def test_a_two_character_county_its_parent_citys_figure_and_a_period_to_the_end_of_november(district):
    assert {d.name: d.place for d in district.documents()}["meixian_2025.txt"] == "眉县"
    assert first_figure(district.ask("2024年眉县地区生产总值是多少？")) == "172.4亿元"
    assert district.ask("眉县2024年外贸进出口总额增长了多少？").abstained  # 宝鸡市's figure
    assert district.ask("2024年眉县粮食总产量是多少？").abstained  # 播种面积 is no output
    assert district.ask("2024年全年眉县城镇新增就业多少人？").abstained  # only to the end of November
    assert first_figure(district.ask("2024年截至11月底眉县城镇新增就业多少人？")) == "4600人"


def test_a_period_inside_a_sentence_holds_to_its_semicolon_and_an_attribute_borrows_its_subject(district):
    assert first_figure(district.ask("2024年眉县城镇居民人均可支配收入是多少？")) == "41230元"
    assert first_figure(district.ask("2024年前三季度眉县固定资产投资增长多少？")) == "8.6%"
    assert first_figure(district.ask("2024年眉县安排的县级重点项目总投资是多少？")) == "236亿元"


def test_a_sectors_aggregate_is_not_the_places(district):
    assert district.ask("2024年眉县文旅产业增加值是多少？").abstained  # only the county's GDP is given
