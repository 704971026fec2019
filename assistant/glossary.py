"""Standard statistical synonyms of Chinese government work reports.

Questions say "GDP", "经济总量" or "财政收入"; reports say 生产总值 and 一般公共预算
收入.  This list holds only the standard names of statistical indicators and their
common abbreviations; English questions are matched by the multilingual embedding
(see ``metric``), not by a word list.
"""
from __future__ import annotations

import re

# question word (lower case) -> report words
SYNONYMS: dict[str, tuple[str, ...]] = {
    "gdp": ("生产总值",), "gross domestic product": ("生产总值",), "经济总量": ("生产总值",), "地区生产总值": ("生产总值",), "国内生产总值": ("生产总值",),
    "经济增速": ("生产总值增长",), "经济增长": ("生产总值增长",), "cpi": ("居民消费价格",), "居民消费价格指数": ("居民消费价格",), "物价": ("居民消费价格",), "r&d": ("研发投入", "研发经费"),
    "研发经费": ("研发投入",), "研发支出": ("研发投入",), "pm2.5": ("PM2.5", "细颗粒物"), "细颗粒物": ("PM2.5",),
    "财政收入": ("一般公共预算收入",), "地方财政收入": ("一般公共预算收入",), "财政支出": ("一般公共预算支出",),
    "社零": ("社会消费品零售总额",), "社零额": ("社会消费品零售总额",), "消费品零售总额": ("社会消费品零售总额",),
    "外贸": ("进出口",), "进出口额": ("进出口",), "外贸进出口": ("进出口",),
    "固投": ("固定资产投资",), "规上工业": ("规模以上工业", "规上工业"), "规模以上工业": ("规上工业",),
    "增速": ("增长",), "增幅": ("增长",), "增长率": ("增长",), "人均收入": ("人均可支配收入",),
    "居民收入": ("居民人均可支配收入",), "新增就业": ("城镇新增就业",), "失业率": ("调查失业率",),
    "外资": ("实际使用外资",), "实际利用外资": ("实际使用外资",), "利用外资": ("实际使用外资",), "利用外商投资": ("实际使用外资",), "外商投资": ("实际使用外资", "利用外资"), "外商直接投资": ("实际使用外资", "利用外资"), "专项债": ("专项债券",),
    "高企": ("高新技术企业",), "保障房": ("保障性住房",), "地铁": ("轨道交通",), "上市公司": ("上市企业",),
    "r&d intensity": ("研发投入强度", "研发经费投入强度", "研究与试验发展经费"),
    "研发强度": ("研发投入强度", "研发经费投入强度", "研究与试验发展经费"),
    "研发投入强度": ("研发经费投入强度", "研究与试验发展经费"),  # R&D spending as a share of GDP
    # the English names of indicators in the statistical bulletins' and budget reports' translations
    "deficit ratio": ("赤字率",), "deficit-to-gdp": ("赤字率",), "deficit": ("赤字",),
    "special treasury bonds": ("特别国债",), "special-purpose bonds": ("专项债券",), "special bonds": ("专项债券",),
    "consumer price": ("居民消费价格",), "inflation": ("居民消费价格",), "surveyed unemployment": ("调查失业率",),
    "fixed-asset investment": ("固定资产投资",), "fixed asset investment": ("固定资产投资",),
    "retail sales of consumer goods": ("社会消费品零售总额",), "general public budget": ("一般公共预算",),
    "fiscal revenue": ("一般公共预算收入",), "fiscal expenditure": ("一般公共预算支出",),
    "disposable income": ("人均可支配收入",), "value added": ("增加值",), "above designated size": ("规模以上", "规上"),
    "cargo and mail throughput": ("货邮吞吐量",), "passenger throughput": ("旅客吞吐量",),
    "cargo throughput": ("货物吞吐量", "货邮吞吐量"), "container throughput": ("集装箱吞吐量",),
    "life expectancy": ("人均预期寿命", "预期寿命"), "预期寿命": ("人均预期寿命",),
    "school places": ("学位",), "school seats": ("学位",), "ai": ("人工智能",), "artificial intelligence": ("人工智能",),
    # organisations and initiatives reports name, in their English abbreviations
    "sco": ("上合",), "shanghai cooperation organization": ("上合",), "asean": ("东盟",), "belt and road": ("一带一路",),
    "brics": ("金砖",), "market entities": ("经营主体", "市场主体"), "market players": ("经营主体", "市场主体"),
    "business entities": ("经营主体", "市场主体"),
    "市场主体": ("经营主体",), "经营主体": ("市场主体",),  # the same count, renamed in 2023
    # everyday words for what reports count
    "上学名额": ("学位",), "入学名额": ("学位",), "读书名额": ("学位",), "托育名额": ("托位",), "入托名额": ("托位",),
    "停车位": ("停车泊位",), "车位": ("泊位",), "收成": ("产量",), "友好城市": ("友城",), "新注册": ("新设", "新登记"),
}

# The standard names of the statistical bulletins' indicators: the words reports name
# indicators with, beside the library's own (a question's "房地产开发投资" is one indicator
# even when no report in the library names it, so 民间投资 does not answer it).
STANDARD_INDICATORS = (
    "地区生产总值", "第一产业增加值", "第二产业增加值", "第三产业增加值", "规模以上工业增加值", "高技术制造业增加值",
    "装备制造业增加值", "服务业增加值", "农林牧渔业总产值", "粮食总产量", "固定资产投资", "房地产开发投资", "工业投资",
    "制造业投资", "基础设施投资", "民间投资", "技术改造投资", "高技术产业投资", "社会消费品零售总额", "网上零售额",
    "进出口总额", "出口总额", "进口总额", "一般公共预算收入", "一般公共预算支出", "税收收入", "居民人均可支配收入",
    "城镇居民人均可支配收入", "农村居民人均可支配收入", "居民消费价格", "实际使用外资", "存款余额", "贷款余额",
    "旅游收入", "货物吞吐量", "集装箱吞吐量", "旅客吞吐量", "发电量", "全社会用电量", "研发经费投入",
)

_CN = re.compile(r"[\u4e00-\u9fff]")
# "外资企业" is a kind of enterprise, not 外资 (实际使用外资)
_NOT_PART = r"(?!企业|项目|公司|机构|银行|工厂)"


def _pattern(term: str) -> str:
    return re.escape(term) if _CN.search(term) else rf"(?<![a-z]){re.escape(term)}(?![a-z])"


def expand(question: str) -> list[str]:
    """Report words for the terms a question uses (longest terms first, no repeats)."""
    low = question.lower()
    out: list[str] = []
    for term in sorted(SYNONYMS, key=len, reverse=True):
        if re.search(_pattern(term) + _NOT_PART, low):
            for word in SYNONYMS[term]:
                if word not in out and word not in question:
                    out.append(word)
    return out
