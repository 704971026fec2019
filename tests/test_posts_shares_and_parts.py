"""A report reposted by a social-media account, shares of a larger place, parts of a whole:

- a post's own lines ("发表于福建") name where it was posted, not whose report it is; an
  experimental zone (综合实验区) named in its committee's line is the report's place;
- "占福建省全省进出口总值2920亿元的9.4%": the amount is the province's figure;
- "其中南区完成…，北区完成…" and "其中金井湾片区118座": each part's figure of the whole's measure or
  count; "新增108家、累计达到402家": the new and the total;
- a bullet heading run into its text ("…持续增强全年实现地区生产总值…") and an adverbial lead
  ("随着…投产，上半年增速回升到…") name no subject; a zone named in a clause without figures
  ("综合保税区、台湾创业园能级提升，…") does not own the figures after it;
- "合肥港…，全省港口…": the whole place again after a city's figure; "前四年累计" is several
  years' figure; 城镇居民's income is not 全体居民's; 个 answers "多少座公园"; 岁 is a unit and
  预期寿命 no target;
- questions: "（据…报告）" names the source, not the subject; "朝阳区的邻区海淀区" asks about the
  neighbour; "the Chizhou–Huangshan high-speed railway" is no question about 池州 or 黄山.

Two short reports written for these tests (real place names, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from written_reports import first_figure, library_of

POST = """点击上方蓝字关注我们
平潭发布
原创 实验区融媒 平潭发布 2024-01-26 18:30 发表于福建
政府工作报告（全文）

▲ 1月25日，全区工作会议召开

——2024年1月25日在平潭综合实验区工作会议上

平潭综合实验区管理委员会主任

■ 一、２０２３年工作回顾

● 这一年，我们坚定拼经济、稳增长，综合实力持续增强
全年实现地区生产总值428.6亿元，按可比价格计算
同比增长7.8%，增速居全省前列。同期，福州市全市地区生产总值12928.5亿元、增长5.1%。

受外部需求波动影响，一季度地区生产总值增速一度回落至3.9%；随着一批重大项目集中投产，上半年增速回升到6.2%，前三季度增长7.1%，全年实现较快增长。

全区完成进出口总额274.5亿元，占福建省全省进出口总值2920亿元的9.4%。平潭综合保税区绩效评估保持A类，全年综保区完成进出口96.3亿元，其中南区完成71.8亿元，北区完成24.5亿元。

平潭综合保税区、台湾创业园能级提升，平潭港区货物吞吐量达到1460万吨，新开对台航线3条。

楼宇经济提质增效，全区税收千万元以上楼宇达到26座，其中金井湾片区18座。

二、2024年主要目标

地区生产总值增长8%左右；进出口总额增长10%以上。

阅读原文
"""

PROVINCE = """安徽省2025年政府工作报告
——2025年1月14日在安徽省第十四届人民代表大会第四次会议上

一、2024年工作回顾

合肥港集装箱吞吐量达到62万标箱，全省港口完成货物吞吐量6.38亿吨、增长4.2%。
国家级专精特新“小巨人”企业新增108家、累计达到402家。
池黄高铁建成通车，全长125公里，设计时速350公里。
全省居民人均预期寿命达到79.5岁。
全体居民人均可支配收入36120元、增长5.6%，城镇、农村居民人均可支配收入分别增长4.6%和6.9%。
全省“十四五”前四年累计完成固定资产投资约14.2万亿元。
全省省级以上森林公园总数达到86个。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "posts", {"pingtan_2024.txt": POST, "anhui_2025.txt": PROVINCE})


def test_a_posts_location_line_names_no_place(bot):
    places = {d.name: d.place for d in bot.documents()}
    assert places["pingtan_2024.txt"] == "平潭综合实验区"  # not 福建省, where the post was sent from
    assert places["anhui_2025.txt"] == "安徽省"


@pytest.mark.parametrize("question, expected", [
    ("2023年平潭综合实验区地区生产总值增长多少？", "7.8%"),
    ("What was the GDP growth rate of the Pingtan Comprehensive Experimental Zone in 2023?", "7.8%"),
    ("2023年平潭综合实验区前三季度地区生产总值增长多少？", "7.1%"),
    ("2023年福建省进出口总值是多少？", "2920亿元"),
    ("2023年平潭综合实验区进出口总额是多少？", "274.5亿元"),
    ("2023年平潭综合实验区综合保税区北区进出口额是多少？", "24.5亿元"),
    ("2023年平潭综合实验区港口货物吞吐量是多少？", "1460万吨"),  # not the bonded zone's
    ("2023年平潭综合实验区金井湾片区税收千万元以上楼宇有多少座？", "18座"),
    ("2023年福州市进出口总额是多少（据平潭综合实验区2024年报告）？", ""),
    ("平潭综合实验区2024年报告中提到的2023年福州市地区生产总值是多少？", "12928.5亿元"),
    ("2023年平潭综合实验区的邻区长乐区地区生产总值是多少？", ""),
    ("2024年安徽全省港口货物吞吐量是多少？", "6.38亿吨"),
    ("2024年安徽省新增国家级专精特新“小巨人”企业多少家？", "108家"),
    ("截至2024年底，安徽省国家级专精特新“小巨人”企业累计有多少家？", "402家"),
    ("How long is the Chizhou–Huangshan high-speed railway that Anhui opened in 2024?", "125公里"),
    ("2024年安徽省人均预期寿命是多少岁？", "79.5岁"),
    ("2024年安徽省城镇居民人均可支配收入是多少元？", ""),  # only all residents' amount is given
    ("2024年安徽省固定资产投资是多少？", ""),  # only four years' total is given
    ("到2024年底安徽省一共有多少座省级以上森林公园？", "86个"),
])
def test_shares_parts_and_leads(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text
