"""How a report's sentences become facts, and how the judge tells them apart, on a short
report written for these tests (a made-up city, its own sentences and figures): lists with
分别 that span two clauses, a shared measure, comparisons with two sides, a qualifier that
belongs to another figure, a zone's figures beside the city's, a verb that borrows the noun
before it, size classes, follow-ups that swap a modifier, English rates,
and questions of several asks."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Config
from assistant.numbers import figures

REPORT = """政府工作报告
——2025年1月10日在云岭市第九届人民代表大会第四次会议上
云岭市市长

一、2024年工作回顾

过去一年，全市生产总值达到6120.5亿元，同比增长5.6%；一般公共预算收入增长4.2%；全体居民人均可支配收入增长5.8%，城乡居民人均可支配收入分别增长5.1%、6.7%。前三季度，全市生产总值增长5.3%，分别高于全国、全省0.7和0.2个百分点。

科技创新势头强劲。新增省级以上企业技术中心14家、工程研究中心9家，总数分别达到186家、97家。万人发明专利拥有量达到41件。

产业体系加快升级。全市规上工业增加值增长7.4%。高新区新引进研发机构12家，规上工业增加值增长11.3%，创新平台加快集聚。新开工中小学校15所，建成11所。

开放水平持续提升。港口货物、集装箱吞吐量分别突破4.2亿吨、860万标箱。开行中欧班列512列、增长9.6%。引进过亿元产业项目150个，过20亿元项目11个。

二、2025年主要目标和重点工作

主要预期目标是：全市生产总值增长5.5%左右，一般公共预算收入增长3.5%，城镇新增就业12万人以上。

（一）坚持科技创新引领。新获批省重点实验室8家以上。企业牵头实施的关键技术攻关项目达到85%。科技型企业突破9000家。

（二）持续扩大有效投资。抓好320个省市重点项目建设，完成投资1600亿元以上。新建充电桩1.2万个。
"""


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("town-reports")
    (folder / "yunling_2025.txt").write_text(REPORT, encoding="utf-8")
    data = tmp_path_factory.mktemp("town-data")
    return Assistant(Config.from_env().with_(data_dir=data, seeds_dir=folder))


def figures_of(answer) -> list[str]:  # noqa: ANN001
    """The figures an answer shows, without its citation markers ([1]) and years."""
    text = answer.text
    return [q.figure for q in figures(text) if q.unit and not (q.start and text[q.start - 1] == "[")]


def test_respective_totals_in_a_second_clause_go_to_the_first_clause_items(town):
    answer = town.ask("截至2024年云岭市工程研究中心总数达到多少家？")
    assert figures_of(answer)[:1] == ["97家"], answer.text
    rows = {f.figure: f.metric for f in town.retriever.all_facts}
    assert "工程研究中心" in rows["97家"] and "总数" in rows["97家"]


def test_a_shared_measure_is_given_to_every_item(town):
    rows = {f.figure: f.metric for f in town.retriever.all_facts}
    assert rows["4.2亿吨"] == "港口货物吞吐量"
    assert figures_of(town.ask("2024年云岭市集装箱吞吐量是多少？"))[:1] == ["860万标箱"]


def test_a_stated_gap_answers_only_for_its_own_side(town):
    answer = town.ask("2024年前三季度云岭市经济增速比全省高出多少个百分点？")
    assert figures_of(answer)[:1] == ["0.2个百分点"], answer.text


def test_a_qualifier_of_a_later_figure_does_not_make_an_earlier_one_per_capita(town):
    answer = town.ask("2024年云岭市人均生产总值是多少？")
    assert answer.abstained, answer.text


def test_a_size_class_named_in_a_follow_up_replaces_the_previous_one(town):
    answer = town.ask("过20亿元的呢？", history=["2024年云岭市引进了多少个过亿元产业项目？"])
    assert figures_of(answer)[:1] == ["11个"], (answer.standalone_question, answer.text)


def test_english_rates_per_residents_ask_for_the_counted_thing(town):
    answer = town.ask("How many invention patents per 10,000 residents did Yunling have in 2024?")
    assert figures_of(answer)[:1] == ["41件"], answer.text


def test_english_container_throughput_is_the_only_fact_in_its_unit(town):
    answer = town.ask("What was the container throughput of Yunling's port in 2024?")
    assert figures_of(answer)[:1] == ["860万标箱"], answer.text


def test_a_question_of_several_asks_is_split_ask_by_ask_then_year_by_year(town):
    parts = town.retriever.parts(town.retriever.parse("云岭市生产总值：2024年增长了多少，2025年预期增长多少？"))
    assert len(parts) == 2 and parts[0].years == (2024,) and parts[1].years == (2025,)
    answer = town.ask("云岭市生产总值：2024年增长了多少，2025年预期增长多少？")
    assert {"5.6%", "5.5%"} <= set(figures_of(answer)), answer.text


def test_a_list_about_a_section_heading_lists_the_whole_section(town):
    answer = town.ask("2025年云岭市在科技创新上提出了哪些目标？")
    assert {"8家", "85%", "9000家"} <= set(figures_of(answer)), answer.text
    assert "1.2万个" not in figures_of(answer)


def test_a_description_quotes_the_passage_whose_sentence_covers_the_topic(town):
    answer = town.ask("2025年云岭市是怎样扩大有效投资的？")
    assert not answer.abstained
    assert "持续扩大有效投资" in answer.citations[0].text, answer.text


def test_an_english_description_quotes_sentences_of_the_place_and_year_asked(town):
    answer = town.ask("What will Yunling do in 2025 to expand effective investment?")
    assert not answer.abstained and answer.text.startswith("The reports say")
    assert any("重点项目" in c.quote or "充电桩" in c.quote for c in answer.citations), answer.text
    assert all(2025 in c.years for c in answer.citations)


def test_english_list_and_english_comparison_with_a_year_target(town):
    listed = town.ask("What are Yunling's main expected targets for 2025?")
    assert {"5.5%", "3.5%", "12万人"} <= set(figures_of(listed)), listed.text
    gap = town.ask("How much higher was Yunling's actual GDP growth in 2024 than its 2025 target?")
    assert gap.text.startswith("0.1 percentage points higher"), gap.text


def test_two_asks_each_with_its_own_noun_are_not_merged(town):
    parts = town.retriever.parts(town.retriever.parse("2025年云岭市新建多少个充电桩，新获批多少家省重点实验室？"))
    assert [p.text for p in parts][1].endswith("新获批多少家省重点实验室？")
    assert "充电桩" not in parts[1].text


def test_a_figure_of_another_period_still_outranks_its_neighbours(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "yunling_news.txt").write_text(
        "云岭市2024年相关报道\n\n2024年，云岭市前10个月新签约大项目52个，总投资约900亿元。"
        "截至目前，已有8个项目建成投产，城市面貌持续改善。\n", encoding="utf-8")
    news = Assistant(Config.from_env().with_(data_dir=tmp_path / "data", seeds_dir=folder))
    assert news.ask("2024年云岭市新签约大项目多少个？").abstained  # the report gives only 前10个月
    rows = {f.figure: (f.metric, f.qualifier) for f in news.retriever.all_facts}
    assert rows["900亿元"][1] == "约" and rows["52个"][0].endswith("新签约大项目")


def test_urban_and_rural_figures_of_one_cheng_xiang_clause_are_told_apart(town):
    assert figures_of(town.ask("2024年云岭市农村居民人均可支配收入增长多少？"))[:1] == ["6.7%"]
    assert figures_of(town.ask("2024年云岭市城镇居民人均可支配收入增长多少？"))[:1] == ["5.1%"]


def test_a_sentence_that_opens_with_a_zone_gives_the_zone_its_figures(town):
    city = town.ask("2024年云岭市规上工业增加值增长多少？")
    assert figures_of(city)[:1] == ["7.4%"], city.text
    zone = town.ask("2024年云岭高新区规上工业增加值增长多少？")
    assert figures_of(zone)[:1] == ["11.3%"], zone.text
    areas = {f.figure: f.area for f in town.retriever.all_facts}
    assert areas["11.3%"] == "高新区" and areas["7.4%"] == ""


def test_a_bare_verb_with_a_count_borrows_the_noun_before_it(town):
    rows = {f.figure: f.metric for f in town.retriever.all_facts}
    assert rows["11所"] == "建成中小学校"
    answer = town.ask("2024年云岭市建成了多少所中小学校？")
    assert figures_of(answer)[:1] == ["11所"], answer.text
