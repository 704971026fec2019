"""A small bilingual thesaurus of work-report terms.

Questions say "GDP", "经济总量" or "R&D spending"; the reports say 生产总值 and
研发投入.  Expanding a question with the report's own words lets keyword
retrieval and clause scoring see the match.  Entries are general terms of
Chinese government work reports, not answers to particular questions.
"""
from __future__ import annotations

import re

# question word (lower case) -> report words
SYNONYMS: dict[str, tuple[str, ...]] = {
    # Chinese paraphrases
    "gdp": ("生产总值",), "经济总量": ("生产总值",), "地区生产总值": ("生产总值",), "经济规模": ("生产总值",),
    "研发经费": ("研发投入",), "研发支出": ("研发投入",), "r&d": ("研发投入",), "科研投入": ("研发投入",),
    "外贸": ("进出口",), "进出口额": ("进出口",), "社零": ("社会消费品零售总额",), "消费品零售": ("社会消费品零售总额",),
    "财政收入": ("一般公共预算收入",), "地方财政收入": ("一般公共预算收入",), "税费减免": ("减税降费", "税费负担"),
    "减税": ("减税降费",), "居民收入": ("人均可支配收入", "居民收入"), "收入增长": ("可支配收入",),
    "游客": ("接待游客",), "旅客": ("游客",), "高企": ("高新技术企业",), "新增就业": ("城镇新增就业",),
    "就业岗位": ("新增就业",), "充电设施": ("充电桩",), "停车位": ("停车泊位", "泊位"), "车位": ("泊位",),
    "学位": ("学位",), "养老参保": ("养老保险参保",), "港口吞吐量": ("吞吐量",), "集装箱": ("集装箱", "标箱"),
    "中欧班列": ("中欧班列",), "专项债": ("专项债券",), "人才": ("人才",), "空气质量": ("PM2.5", "空气"),
    "粮食产量": ("粮食", "总产量"), "固投": ("固定资产投资",), "投资增速": ("固定资产投资",),
    "规上工业": ("规上工业增加值",), "工业增加值": ("规上工业增加值", "工业增加值"),
    "老旧小区": ("老旧小区改造",), "城中村": ("城中村改造",), "地铁": ("地铁", "轨道交通"),
    "外资": ("外资", "实际使用外资"), "世界500强": ("世界500强",), "数字经济": ("数字经济",),
    # English -> report words
    "population": ("常住人口", "人口"), "residents": ("居民", "常住人口"),
    "gross domestic product": ("生产总值",), "economic output": ("生产总值",), "economy": ("生产总值", "经济"),
    "fiscal revenue": ("一般公共预算收入",), "general public budget revenue": ("一般公共预算收入",),
    "budget revenue": ("一般公共预算收入",), "public budget": ("一般公共预算",),
    "disposable income": ("人均可支配收入",), "income": ("收入",),
    "fixed asset investment": ("固定资产投资",), "fixed-asset investment": ("固定资产投资",),
    "investment": ("投资",), "retail sales": ("社会消费品零售总额",), "consumer goods": ("社会消费品零售总额",),
    "foreign trade": ("货物进出口", "进出口"), "imports and exports": ("进出口",), "trade": ("进出口", "贸易"),
    "exports": ("出口",), "imports": ("进口",), "r&d investment": ("研发投入",), "research and development": ("研发投入",),
    "tax": ("税费",), "tax cuts": ("减税降费",), "fees": ("税费",),
    "tourists": ("游客",), "tourism": ("旅游", "游客"), "visitors": ("游客",),
    "high-tech enterprises": ("高新技术企业",), "high-tech": ("高新技术",), "enterprises": ("企业",),
    "companies": ("企业",), "firms": ("企业",), "small and medium": ("中小企业",), "listed": ("上市",),
    "jobs": ("就业",), "employment": ("就业",), "urban jobs": ("城镇新增就业",), "unemployment": ("失业",),
    "unemployed": ("失业",), "entrepreneurship": ("创业",), "start-ups": ("创业",), "startups": ("创业",),
    "schools": ("学校", "中小学"), "school places": ("学位",), "kindergartens": ("幼儿园",),
    "hospital": ("医院",), "hospitals": ("医院",), "elderly care": ("养老",), "pension": ("养老保险",),
    "nursery": ("托位",), "childcare": ("托位",),
    "charging piles": ("充电桩",), "charging stations": ("充电桩",), "chargers": ("充电桩",),
    "parking spaces": ("停车泊位", "泊位"), "parking": ("停车",), "roads": ("道路",), "road": ("道路",),
    "subway": ("地铁",), "metro": ("地铁",), "railway": ("铁路",), "high-speed rail": ("高铁",),
    "port": ("港口", "港"), "container": ("集装箱", "标箱"), "throughput": ("吞吐量",), "cargo": ("货物",),
    "projects": ("项目",), "project": ("项目",), "key projects": ("重点项目",), "major projects": ("重点项目",),
    "industrial": ("工业",), "industry": ("产业",), "manufacturing": ("制造业",), "value added": ("增加值",),
    "added value": ("增加值",), "digital economy": ("数字经济",), "marine economy": ("海洋经济", "海洋生产总值"),
    "ocean": ("海洋",), "marine": ("海洋",), "grain": ("粮食",), "agriculture": ("农业",),
    "renovation": ("改造",), "old residential": ("老旧小区",), "old neighborhoods": ("老旧小区",),
    "urban villages": ("城中村",), "elevators": ("电梯",), "parks": ("公园",), "green": ("绿色", "绿道"),
    "pm2.5": ("PM2.5",), "air quality": ("空气质量", "PM2.5"), "emissions": ("减排",), "energy": ("能源",),
    "clean energy": ("清洁能源",), "renewable": ("可再生能源",), "power": ("装机", "电力"),
    "talent": ("人才",), "talents": ("人才",), "patents": ("专利",), "innovation": ("创新",),
    "loans": ("贷款",), "deposits": ("存款", "存贷款"), "bonds": ("债券",), "special bonds": ("专项债券",),
    "foreign investment": ("外资",), "fortune 500": ("世界500强",), "exhibition": ("展览",),
    "sports": ("体育", "健身"), "fitness": ("健身",), "culture": ("文化",), "library": ("图书馆",),
    "museum": ("博物馆",), "housing": ("住房",), "affordable housing": ("保障性住房",),
    "villages": ("村", "乡村"), "rural": ("农村", "乡村"), "farmers": ("农民",),
    "growth": ("增长",), "grow": ("增长",), "increase": ("增长", "新增"), "new": ("新增", "新建"),
    "build": ("建设", "新建"), "built": ("建成",), "complete": ("完成",), "completed": ("完成", "建成"),
    "target": ("目标", "预期"), "goal": ("目标",), "plan": ("计划",), "planned": ("计划",),
    "expected": ("预期",), "total": ("总额", "总量"), "per capita": ("人均",), "rate": ("率",),
    "share": ("比重", "占比"), "proportion": ("比重", "占比"), "volume": ("总额", "总量"),
    "provincial": ("省",), "municipal": ("市",), "provincial and municipal": ("省、市", "省市"),
    "增速": ("增长",), "增幅": ("增长",), "保障房": ("保障性住房",), "减负": ("减轻", "负担"),
    "细颗粒物": ("PM2.5",), "托育": ("托位", "托育"), "医保": ("医保", "医疗保险"), "养老金": ("养老",),
    "attract": ("引进",), "attracted": ("引进",), "introduce": ("引进",), "newly": ("新",),
    "global": ("世界",), "raise": ("筹集",), "raised": ("筹集",), "keep": ("留",), "retain": ("留",),
    "graduates": ("大学生", "毕业生"), "university": ("高校", "大学"), "college": ("高校",),
    "account for": ("占",), "accounted": ("占",), "province": ("省",), "shandong": ("全省", "山东"),
    "year on year": ("同比",), "year-on-year": ("同比",), "months": ("个月",), "rental": ("租赁",),
    "affordable": ("保障性",), "units": ("套",), "goods": ("货物",), "loan": ("贷款",),
    "add": ("新增",), "added": ("新增",), "cities": ("城市",), "city": ("全市",), "west coast new area": ("新区", "西海岸"), "new area": ("新区",),
}

_CN = re.compile(r"[\u4e00-\u9fff]")


def expand(question: str) -> list[str]:
    """Report words for the terms a question uses (longest terms first, no repeats)."""
    low = question.lower()
    out: list[str] = []
    for term in sorted(SYNONYMS, key=len, reverse=True):
        pattern = re.escape(term) if _CN.search(term) else rf"(?<![a-z]){re.escape(term)}(?![a-z])"
        if re.search(pattern, low):
            for word in SYNONYMS[term]:
                if word not in out and word not in question:
                    out.append(word)
    return out


_EN_STOP = frozenset(
    "what which how many much was were is are the did does do will would for and with from that this its their "
    "qingdao city year years planned plan target targets expected total number amount figure value during over "
    "about there have has had been being into than more less new area west coast district report reports "
    "government according percent by per places units people persons yuan rmb billion million thousand square "
    "meters metres kilometers kilometres tons items sets times first half".split()
)


def english_coverage(question: str) -> float:
    """Share of an English question's content words the thesaurus can put into report words."""
    low = question.lower()
    words = [w for w in re.findall(r"[a-z][a-z\-]{2,}", low) if w not in _EN_STOP]
    if not words:
        return 1.0
    covered = set()
    for term in SYNONYMS:
        if not _CN.search(term) and re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", low):
            covered.update(term.split())
    return sum(1 for w in words if w in covered or w.rstrip("s") in covered) / len(words)
