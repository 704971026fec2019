"""A report's place among the places it quotes, and a figure's indicator among its parts:

- a district's report quoting its city: the gap to the city ("高于全市平均水平0.6个百分点"),
  the city's own target ("高于全市提出的…增长6%左右的预期"), counts certified by the city
  that are the district's ("成都市专精特新中小企业…，分别占全市的30%"), a question naming
  the report it quotes from ("武侯区政府工作报告中提到的成都市…");
- a county's towns ("钱集镇…分别增长…"), a named zone (示范区), a table of plan and
  completed columns, the matters promised at the start of the year "全部完成";
- kinds counted apart from the whole (跨境电商进出口额, 新能源汽车产量), shares asked as
  "X里Y所占的比重", glosses in brackets, "A的B、C分别…", a count's rates, standard names
  (研发投入强度, 外商投资).

Three short reports written for these tests (real place names, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant import Assistant
from written_reports import first_figure, library_of

DISTRICT = """成都市武侯区人民政府
政府工作报告
——2025年1月8日在成都市武侯区第十九届人民代表大会第五次会议上

一、2024年工作回顾

预计全年实现地区生产总值1580.2亿元，增长6.4%，高于全市平均水平0.6个百分点，占全市经济总量的比重达到6.8%。
创新主体加快集聚。国家高新技术企业总数达到1260家；成都市专精特新中小企业达到410家，国家级专精特新“小巨人”企业达到36家，分别占全市的12%和9%。
同期成都市地区生产总值增长5.8%。
深化“蓉易办”改革，全年受理市民诉求42.6万件，响应率100%，解决率93.8%、满意率94.6%。企业服务专班协调解决企业诉求1200余件，诉求解决率达到97%。
年初确定的28件民生实事全部完成。实际利用外资6.3亿美元，新设外资企业85家。
全社会研究与试验发展经费支出占地区生产总值的比重达到3.15%。

二、2025年主要预期目标

地区生产总值增长6.5%左右，区级一般公共预算收入增长4%。上述增长目标高于全市提出的地区生产总值增长6%左右的预期。
"""

COUNTY = """<html><head><meta charset="utf-8"><title>沭阳县2024年政府工作报告</title></head><body>
<h1>政府工作报告</h1>
<p>——2024年1月10日在沭阳县第十八届人民代表大会第三次会议上</p>
<p>一、2023年工作回顾</p>
<p>全县规上工业总产值达到1460.5亿元，增长8.2%。沭阳经济技术开发区规上工业产值突破600亿元；钱集镇、胡集镇规上工业产值分别增长12.1%和9.4%。</p>
<p>花木产业示范区建设提速，示范区实现花木交易额186亿元。全县花木网络销售额达到260亿元。</p>
<p>十件民生实事完成情况如下：</p>
<table>
<tr><th>项目名称</th><th>年度计划</th><th>完成情况</th></tr>
<tr><td>新建改造农村公路</td><td>120公里</td><td>138公里</td></tr>
<tr><td>城乡供水管网改造</td><td>45公里</td><td>52公里</td></tr>
</table>
<p>二、2024年主要预期目标</p>
<p>地区生产总值增长6%左右。</p>
</body></html>
"""

MUNICIPALITY = """政府工作报告
——2025年1月20日在天津市第十八届人民代表大会第三次会议上

一、2024年工作回顾

全市一般公共预算收入完成2120.5亿元，增长3.2%，其中税收收入占比提高到74.1%。
汽车产业稳中有进，全年汽车产量达到67.8万辆，其中新能源汽车产量达到12.4万辆、增长35.2%。
外贸新业态加快成长，跨境电商进出口额增长26.5%。经天津港中转的集装箱量、货值分别增长8.1%、11.6%。
城镇常住居民人均可支配收入达到58210元，农村常住居民人均可支配收入达到31760元。

二、2025年主要预期目标

地区生产总值增长5%左右。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return library_of(tmp_path_factory, "wholes", {"wuhou_2025.txt": DISTRICT, "shuyang_2024.html": COUNTY,
                                                   "tianjin_2025.txt": MUNICIPALITY})


@pytest.mark.parametrize("question, expected", [
    ("2024年武侯区地区生产总值增速比成都全市平均水平高多少？", "0.6个百分点"),  # the gap, with its growth
    ("2024年武侯区地区生产总值占全市经济总量的比重是多少？", "6.8%"),
    ("2024年武侯区国家级专精特新“小巨人”企业有多少家？", "36家"),  # certified by the city, counted in the district
    ("武侯区政府工作报告中提到的2024年成都市地区生产总值增速是多少？", "5.8%"),
    ("武侯区政府工作报告中提到的成都市2025年地区生产总值增长预期是多少？", "6%"),  # the city's own target
    ("2025年武侯区地区生产总值增长目标是多少？", "6.5%"),
    ("2024年武侯区“蓉易办”市民诉求解决率是多少？", "93.8%"),  # the rate of the count before it
    ("2024年武侯区完成了多少件民生实事？", "28件"),  # promised at the start of the year, all done
    ("2024年武侯区实际到位的外商投资金额是多少？", "6.3亿美元"),
    ("2024年武侯区研发投入强度是多少？", "3.15%"),
    ("2023年钱集镇规上工业产值增长多少？", "12.1%"),
    ("2023年钱集镇规上工业产值是多少亿元？", ""),  # only its growth is given; the county's is no answer
    ("2023年沭阳县规上工业总产值是多少？", "1460.5亿元"),
    ("2023年花木产业示范区花木网络销售额是多少？", ""),  # only the county's is given
    ("2023年沭阳县城乡供水管网改造实际完成了多少公里？", "52公里"),  # the completed column, not the plan
    ("2023年沭阳县城乡供水管网改造年度计划是多少公里？", "45公里"),
    ("2024年天津财政收入里税收所占的比重提高到了多少？", "74.1%"),
    ("2024年天津市汽车总产量（含燃油车和新能源车）是多少？", "67.8万辆"),
    ("2024年天津市汽车产量是多少？", "67.8万辆"),
    ("2024年天津市外贸进出口总值增长了多少？", ""),  # only the cross-border e-commerce part is given
    ("2024年经天津港中转的货值（不是集装箱量）增长了多少？", "11.6%"),
    ("2024年末天津市常住人口是多少？", ""),  # only its residents' incomes are given
])
def test_parts_and_wholes(bot, question, expected):
    answer = bot.ask(question)
    assert first_figure(answer) == expected, answer.text
