"""The one test of whether a fact answers a question, used by the extractive answer
(the best fact that passes) and by the check of an LLM's figures (each figure's fact
in a cited passage must pass):

- its place is the question's place (or the library's one place when it names none), and
  not a zone inside it (自贸试验区, 高新区) unless the question names the zone;
- its year, plan/result and period (全年, 前三季度 …) agree with the question's;
- its unit is what the question asks for (a growth rate is a %, an amount is 元);
- "新增" is not given for "总数" and the other way round;
- it is a value, not a size class ("超过500亿元的县") or a milestone passed ("迈上…新台阶");
- its metric matches the question's (``metric``), and no fact of the same sentence
  matches clearly better or alone names what the question counts ("多少学位") (a
  neighbour's figure is not an answer);
- when the metric asked is in the reports only in another form (its growth, not the
  amount), a fact of another metric that matches far worse does not stand in for it.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, replace

import numpy as np

from . import indicator, tokenize
from .clean import SECTION_SEP, Paragraph
from .facts import GAP, Fact
from .metric import MatchWeights, PhraseVectors, cosines, lexical, match_probability, phrase, terms
from .numbers import COUNTERS, MEASURES, figures, same_number
from .places import (OWN_SCOPE, WHOLE_PLACE, ZONE_KINDS, PlaceBook, asked_town, asked_zone, blank_places, is_part_name,
                     leading_zone, leads_part, names_itself, names_zone)
from .query import Query

log = logging.getLogger(__name__)
_HAN = re.compile(r"[\u4e00-\u9fff]")

# "增加了多少户", "涨多少钱": a unit named after 多少 is what is asked, not a rate
_NAMED_UNIT = "万|亿|钱|" + "|".join(re.escape(u) for u in sorted(set(MEASURES + COUNTERS) - {"个百分点"}, key=len, reverse=True))
# What unit a question asks for, from its wording.
MONEY = ("元", "美元", "欧元", "港元")  # an amount asked without its currency: a report may give it in dollars
_UNIT_HINTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"百分点|percentage point"), ("个百分点",)),
    (re.compile(r"几倍|多少倍|how many times"), ("倍",)),
    (re.compile(rf"占[^，。？?]{{1,24}}?的?(?:多少|几成)(?!{_NAMED_UNIT})"), ("%",)),  # "占全国的多少": a share
    (re.compile(rf"(?:增长|提高|下降|降低|上涨|涨)(?:的)?(?:预期)?(?:目标)?(?:是|为)?了?多少(?!{_NAMED_UNIT})|增速|增幅|涨幅|增长率|比重|占比|比例|份额|强度|百分之|多少%|率是|率为|率达|"
                r"\bgrowth\b|\bgrow\b|\bgrew\b|\brate\b|\bratio\b|intensity|percent|\bshare\b|proportion|by how much|"
                r"\bhow did .{3,60} change\b|\bchange in\b"), ("%", "个百分点")),
    (re.compile(r"多少(?:万|亿)?元|\byuan\b|\brmb\b"), ("元",)),
    (re.compile(r"多少钱|钱(?:一共|总共)?(?:有|是|花了|用了|投了)?多少|金额|多少亿|how much money"), MONEY),
    (re.compile(r"(?:总值|额|收入|投资|产值|增加值|营收|支出|资金)(?:实际)?(?:要|将)?(?:完成了?|达到了?|是|为|有|突破)?(?:多少|多大规模|多大)(?![个家所项人%])|"
                r"how much (?:investment|revenue|output|money|funding|spending)|\binvestment (?:of|is|was)\b|"
                r"\b(?:what|how much) (?:was|is|were) (?:the )?(?:gross )?output value\b|"
                r"\bhow much (?:was|is|were) .{0,30}\b(?:trade|imports|exports|retail sales)\b"), MONEY),
    (re.compile(r"多少(?:年度|全年)?(?:投资|资金|收入|产值|营收|销售额|交易额)(?![增%])"), MONEY),
    (re.compile(r"多少岁|几岁|预期寿命|life expectancy"), ("岁",)),
    (re.compile(r"多长(?!时间)|\bhow long (?:is|was|are|were|will)\b|\blength\b"), ("公里", "千米", "米")),
    (re.compile(r"标箱|集装箱吞吐|container throughput|\bteu\b"), ("标箱", "标准箱")),
    (re.compile(r"旅客|客流|游客|passengers?|travell?ers|tourists|visitors"), ("人次", "人")),
    (re.compile(r"货物吞吐|货邮吞吐|货运量|cargo(?: and mail)? throughput|freight volume"), ("吨",)),
    (re.compile(r"消费价格|物价|consumer prices?|\bcpi\b|inflation"), ("%",)),
    (re.compile(r"价格|房价|\bprices?\b|\bcost\b"), ("元",)),
    (re.compile(r"多少(?:万)?人次|人次|visits"), ("人次",)),
    (re.compile(r"kilomet(?:re|er)s?|\bkm\b"), ("公里",)),
    (re.compile(r"浓度|concentration"), ("微克/立方米", "毫克/立方米")),
    (re.compile(r"装机|\bcapacity\b"), ("千瓦", "GW", "MW", "吨", "标箱")),
    (re.compile(r"产量"), ("吨", "斤", "公斤", "千克", "辆", "台", "件", "只", "头", "片", "套", "部", "架", "艘",
                                       "千瓦时", "立方米", "千升", "升", "枝", "株", "羽", "箱")),
    (re.compile(r"\btonn?e?s\b"), ("吨",)),
    (re.compile(r"square met(?:re|er)s?"), ("平方米",)),
    (re.compile(r"kilowatts?|\bkw\b"), ("千瓦",)),
    (re.compile(r"\bmu\b"), ("亩",)),
    (re.compile(r"多少天|几天|天数|how many days"), ("天",)),
    (re.compile(r"第几|排名(?:是|为)?多少|排(?:在)?多少位|\bwhich place\b|\bwhat rank\b|\branked\b"), ("位", "名", "")),
    (re.compile(r"\bhouseholds?\b"), ("户",)),
    (re.compile(r"多少(?:万)?人|人数|how many (?:people|persons|residents)"), ("人", "人次")),
    (re.compile(r"人口(?:总量|总数|数量|规模)?(?:是|有|为|达到|达)?(?:多少|几)|\bpopulation\b"), ("人",)),
    (re.compile(r"多少(?:万)?(个|家|所|项|条|处|台|辆|部|列|场|件|套|座|户|吨|标箱|平方米|公里|千瓦|亩|位|名|批|次|张|座)"), ()),
)
_EN_SIZE_CLASS = re.compile(r"\b(?:worth|valued at|each worth|with (?:a )?(?:total )?investment of|(?:investment|revenue|output) of)"
                            r"\s+(?:over|more than|above|at least|exceeding)?\s*(?P<number>[\d.,]+)\s*"
                            r"(?P<scale>hundred million|billion|million|thousand)?\s*(?:yuan|rmb)\b")
_EN_SCALES = {"hundred million": 1e8, "billion": 1e9, "million": 1e6, "thousand": 1e3}
_ADDED_Q = re.compile(rf"(?<!新)增加了?多少(?!{_NAMED_UNIT})|(?:比上年|比去年|较上年|同比)(?:末)?(?:增加|多)了?多少")
_SAME_COUNT = {"家": ("家", "户"), "户": ("户", "家")}  # reports count enterprises in 家 or 户
_ECONOMY = re.compile(r"生产总值|一般公共预算|固定资产投资|规模以上工业|规上工业|社会消费品零售总额|可支配收入")  # a place's own aggregates
_THINGS = frozenset("座处所条台部张项批场件套列辆")  # counters of things, for which reports also write 个
_THING_COUNTED = re.compile(rf"(?:多少|几)[{''.join(sorted(_THINGS))}]([\u4e00-\u9fff]{{2,12}}?)(?:呢)?[？?]?$")  # "多少座森林公园"
# "过20亿元的项目": a size class the question names
_THRESHOLD = re.compile(r"(?:过|超过|超|逾)\d+(?:\.\d+)?[万亿]?元|\d+(?:\.\d+)?[万亿]?元以上(?=的|\S{0,3}(?:项目|企业))")
_SIZE_CLASS = re.compile(r"(?:过|超过|超|逾|突破)[\d.]*[十百千万亿]*元")  # "超过千亿元的" in a report
_PLEDGE = re.compile(r"(?P<floor>确保|保证)|力争|争取")
_PASSED = ("超过", "突破", "逾", "超")  # qualifiers of a round figure the value has passed
_PRICE_Q = re.compile(r"(?<!消费)价格|房价|均价|\bprices?\b", re.I)  # a price is never in 亿元
_HEADS = {"名", "人", "人次", "个", "位"}  # "17万新生": a count of people with no counter of its own
_COUNT_Q = re.compile(r"how many|\bnumber of\b|多少个|几个|几家|几所", re.I)
# what a count is not: rates, money and measured quantities (people and households are counted)
_NOT_COUNTS = {"%", "个百分点"} | (set(MEASURES) - {"人", "户", "人次"})
# growth words ("提高到50%" reaches a level, it is no growth)
_GROWTH_Q = re.compile(r"增长|增速|增幅|增加(?![值到至])|提高(?![到至])|提升(?![到至])|下降(?![到至])|降低|减少|涨|回落|快于|高于|低于|比上年|比去年|较上年|同比|"
                       r"消费价格|物价|grow|growth|increase|rise|rose|fell|fall|decline|drop|by how much|faster|slower|\bchange|"
                       r"\bcpi\b|inflation|consumer prices?", re.I)  # a price index is asked as its rise
_GROWTH_FACT = re.compile(r"(?:增长|增加|提高|提升|下降|降低|减少|上涨|回落|增速|增幅|涨幅)$")
# a gap to another place or indicator (facts.GAP) answers only a question that compares
_GAP_Q = re.compile(r"高于|低于|快于|慢于|高出|低出|超出|领先|落后|[比较](?!上年|去年|上一年|年初)|相比|差距|than|faster|slower|"
                    r"higher|lower|above|below|ahead|behind|gap|outpac", re.I)
# Qualifiers that make another indicator of the same noun (人均生产总值 is not 生产总值,
# 城镇化率 not 普及率): when the question has one, the fact's clause must have it too.
_QUALIFIERS = ("人均", "城镇", "农村", "规上", "规模以上", "出口", "进口", "实际使用", "一般公共预算", "税收",
               "城镇化", "常住", "户籍", "调查失业", "优良", "新能源", "高新技术", "战略性新兴", "per capita", "urban", "rural", "export", "import")
# "海洋生产总值", "民营经济增加值": a sector's aggregate, not the place's; what comes before
# 生产总值 up to a place, zone, year or generic word ("云岭高新区规上工业增加值": none)
_AGGREGATE_KIND = re.compile(r"([\u4e00-\u9fff]{1,16})(?:生产总值|增加值)")
_NOT_SECTOR = re.compile(r"^.*(?:年|市|省|区|县|州|旗|盟|全国|国内|地区|本地|的|实现|完成|预期|规模以上工业|规上工业|规模以上|规上)|^工业$")


# Kinds a report counts apart from the whole ("其中新能源汽车产量…", "跨境电商进出口额"): a fact of
# one does not answer a question that names none of its words
_KINDS = {"跨境电商": ("跨境", "电商", "电子商务", "网上", "网络", "线上"),
          "新能源": ("新能源", "清洁能源", "可再生", "绿色能源", "绿电", "电动", "氢", "光伏", "风电", "储能"),
          "高新技术": ("高新", "高企", "高技术", "高科技", "科技型"), "高技术": ("高技术", "高新", "高科技"),
          "战略性新兴": ("战略性新兴", "战新", "新兴"), "民营": ("民营", "私营", "民间", "非公", "民企")}
_PARTNER = re.compile(r"对([\u4e00-\u9fff“”]{1,10}?)(?:国家|地区)?的?(?:进出口|出口|进口|贸易)")
_PER_PERSON = re.compile(r"人均|平均每人|每人|per capita|per person|per head|average", re.I)
_NOUN_QUALIFIERS = ("新能源", "高新技术", "战略性新兴")  # name a kind of the noun, in its own clause
_OPPOSITES = {"城镇": ("农村", "乡村", "全体"), "农村": ("城镇", "城市", "全体"), "urban": ("农村", "乡村", "全体"),
              "rural": ("城镇", "城市", "全体"),
              "出口": ("进口",), "进口": ("出口",), "收入": ("支出",), "支出": ("收入",),
              "revenue": ("支出",), "expenditure": ("收入",), "spending": ("收入",),
              "provincial": ("全国", "国家")}  # "provincial laboratories" are not 全国重点实验室
# "居民人均可支配收入" asks about all residents: 城镇居民's or 农村居民's figure is another one
_ALL_RESIDENTS = re.compile(r"居民|老百姓|百姓|\bresidents?\b|\bpeople'?s?\b")
_ONE_SIDE_Q = re.compile(r"城镇|农村|城乡|城市|乡村|农民|城里|乡下|村里|城区|urban|rural|farmers?|towns?\b|countryside|villag")
_ONE_SIDE = re.compile(r"(?:城镇|农村|城市|乡村)居民|农民")
# (asked, its pair not asked): "出口额" is not 进出口总额, though the name holds 出口
_PART_OF_TRADE = (("出口", "进出口"), ("进口", "进出口"), ("export", "import"), ("import", "export"))
_QUALIFIER_FORMS = {"规上": ("规上", "规模以上"), "规模以上": ("规上", "规模以上"), "urban": ("城镇", "城市"),
                    "rural": ("农村", "乡村"), "per capita": ("人均",), "export": ("出口",), "import": ("进口", "进出口"),
                    "provincial": ("省",), "实际使用": ("实际使用", "实际利用")}
# indicator reasons that mean "the metric asked, in another form" (a rate, not an amount)
_FORM_REASONS = ("单位是", "这是增长率", "这不是增长率", "这是新增数", "这是总数", "问题问的是数量", indicator.OTHER)
_RATE_FACT = re.compile(r"[\u4e00-\u9fff]{0,3}(?:率|比重|占比|比例)")
_RATE_Q = re.compile(r"率|比重|占比|比例|百分之|百分比|%|几成|\brate\b|share|proportion|ratio|percent", re.I)
_NEW_WORDS = re.compile(r"新增|新建|新开工|新引进|新培育|新认定|新获批|新开|新设|新登记|新注册|净增|增加(?!值)")
_ADDED = re.compile(r"(?:净增|增加)$")
_AFTER_FIGURE = re.compile(r"(?<=[\d万亿%])[^，；。\d]{0,3}?[、，]")  # the end of a figure's part of a clause
_PER_HEAD = re.compile(r"每(?:百|千|万|十万|百万)(?:名|人|户|口|常住|户籍|老年|老人|居民|城镇)")
_PER_HEAD_Q = re.compile(r"每|人均|\bper\b|\bfor every\b", re.I)
_STOCK_WORDS = re.compile(r"总(?!值|产值|收入|投资|额)|累计|年末|年底")
_TOTAL_WORDS = re.compile(r"总数|总量|累计|共有|合计|总计|达到")


_COUNTED = re.compile(r"(?:多少|几)(?:个|家|所|项|处|名|位|条|套|座)?([\u4e00-\u9fff]{2,5}?)(?:呢)?[？?]?$")


def _part_kind(part: str, whole: str) -> str:
    """"科创板上市企业" of "累计境内外上市企业": the words that make the part a kind of the whole."""
    n = 0
    while n < min(len(part), len(whole)) and part[-1 - n] == whole[-1 - n]:
        n += 1
    return "".join(_HAN.findall(part[: len(part) - n])) if n >= 2 else ""


def _counted_noun(text: str) -> str:
    """What a question counts when it ends "多少学位？" ('' for units and amounts)."""
    m = _COUNTED.search(text.strip())
    if not m or re.match(r"[万亿千百]|元|人次|吨|公里|平方|立方|美元|亩|户", m.group(1)):
        return ""
    return m.group(1)


# English qualifiers name a kind of the indicator only before what they qualify ("urban
# residents", not "the urban area", which is 市区)
_EN_QUALIFIED = r"(?:\w+\s+){0,2}(?:residents?|households?|jobs|employment|unemploy\w*|incomes?|per capita|disposable|people)"


def _asks_qualifier(q: str, low: str) -> bool:
    if not q.isascii():
        return q in low
    if q in ("urban", "rural"):
        return bool(re.search(rf"\b{q}\s+(?:and\s+rural\s+|and\s+urban\s+)?{_EN_QUALIFIED}", low))
    return bool(re.search(rf"\b{q}", low))


def _asked_threshold(question: str) -> float:
    """The size class a question names, in yuan ("过20亿元的项目", "projects worth over 5 billion
    yuan"), or 0."""
    m = _THRESHOLD.search(question)
    if m:
        return next((q.base for q in figures(m.group(0))), 0.0)
    en = _EN_SIZE_CLASS.search(question.lower())
    if not en:
        return 0.0
    try:
        return float(en.group("number").replace(",", "")) * _EN_SCALES.get(en.group("scale") or "", 1.0)
    except ValueError:
        return 0.0


def expected_units(query: Query) -> tuple[str, ...]:
    """Units the question asks for (empty when it can't be told)."""
    low = re.sub(r"\bper\s+(?:[\d,]+\s+)?\w+|每(?:万|千|百|十万)?(?:人|户)", " ", query.text.lower())  # a rate's base
    low = _EN_SIZE_CLASS.sub(" ", low)  # "how many projects worth over 5 billion yuan": a count
    for pattern, units in _UNIT_HINTS:
        m = pattern.search(low)
        if m:
            if not units and m.group(1) == "个":
                return ()  # 多少个 counts anything: 家, 所, 座 …
            return units or _SAME_COUNT.get(m.group(1), (m.group(1),))
    return ()


@dataclass
class Verdict:
    """One fact judged against one question."""

    fact: Fact
    paragraph: Paragraph
    probability: float  # that its metric is the question's
    score: float  # for ranking passing facts
    reason: str = ""  # why it does not answer ('' when it does)
    lexical: float = 0.0  # the two views the probability combines (kept for calibration)
    cosine: float = 0.0
    best_cosine: float = 0.0
    second_margin: float = 0.0  # English: the second embedding's cosine minus its best competitor's

    @property
    def ok(self) -> bool:
        return not self.reason


class Judge:
    """Judges facts against questions for one library snapshot."""

    def __init__(self, paragraphs: dict[str, Paragraph], book: PlaceBook, vectors: PhraseVectors,
                 weights: MatchWeights | None = None, second: PhraseVectors | None = None,
                 vocabulary: str = "") -> None:
        self.paragraphs = paragraphs
        self.vocabulary = vocabulary  # the library's metric phrases: the words reports name indicators with
        self.book = book
        self.vectors = vectors
        self.second = second  # another embedding, for English questions
        self.weights = weights or MatchWeights()
        self._newest: dict[str, int] = {}
        self._areas: dict[str, tuple[str, str]] = {}  # question -> (zone or town asked, question without places)
        for p in paragraphs.values():
            if p.doc_year:
                self._newest[p.region] = max(self._newest.get(p.region, 0), p.doc_year)

    # --- what the question is about ------------------------------------------------
    def places(self, query: Query) -> tuple[str, ...]:
        """The places a question is about: the ones it names, else the library's top-level ones."""
        return query.places or tuple(self.book.top_level())

    def resolve(self, query: Query) -> Query:
        """Fill in years a question gives relative to now (今年, 去年) from the newest report."""
        if query.relative_year is None or query.years:
            return query
        newest = max((self._newest.get(p, 0) for p in self.places(query)), default=0)
        return replace(query, years=(newest + query.relative_year,)) if newest else query

    def _reviewed(self, query: Query) -> bool:
        """Is the year asked one a newer report of the place has reviewed (so, with no 目标 or
        计划 in the question, its result comes before its target)?"""
        newest = max((self._newest.get(p, 0) for p in self.places(query)), default=0)
        return bool(not query.kind and query.years and newest and max(query.years) < newest
                    and "计划" not in query.metric)  # "年度计划投资是多少": the planned amount is asked

    @staticmethod
    def _phrase(query: Query) -> str:
        phrase = query.metric or query.text
        return f"{phrase} {' '.join(query.expansions)}" if query.expansions else phrase

    def query_vector(self, query: Query) -> np.ndarray:
        return self.vectors.get([self._phrase(query)])[0]

    # --- the test ----------------------------------------------------------------
    def assess(self, query: Query, facts: list[Fact]) -> list[Verdict]:
        """Every fact judged, best first (passing facts before failing ones)."""
        if not facts:
            return []
        query = self.resolve(query)
        places = set(self.places(query))
        units = expected_units(query)
        asked = figures(query.text)
        ts = terms(query.metric, query.expansions)
        qv = self.query_vector(query)
        phrases = [phrase(f) for f in facts]
        cos = cosines(self.vectors.get(phrases), qv)
        cos2 = self._second_cosines(query, phrases)
        indicator = [self._indicator_mismatch(query, f, units, asked, ts) for f in facts]
        zone, unplaced = self._asked_area(query.text)
        reasons = [self._context_mismatch(query, f, places, zone, unplaced) or self._period_mismatch(query, f) or why
                   for f, why in zip(facts, indicator)]
        # the competition: facts of the question's places that measure the kind of thing asked
        # (unit, qualifiers, new or total), of any year and period (so a fact of the right year
        # whose metric merely comes next after another year's or period's matching one is not
        # taken); a metric phrase of less than two characters ("前") names nothing and competes
        # with nothing
        eligible = [(f.metric, float(c), float(c2)) for f, c, c2, why in zip(facts, cos, cos2, indicator)
                    if f.place in places and not why and len(_HAN.findall(f.metric)) >= 2]
        eligible = eligible or [(f.metric, float(c), float(c2)) for f, c, c2 in zip(facts, cos, cos2)]
        out: list[Verdict] = []
        newest = max((f.year or 0) for f in facts)
        reviewed = self._reviewed(query)
        for f, c, c2, reason in zip(facts, cos, cos2, reasons):
            # the competition: the best eligible fact with another metric phrase
            best_cos = max((x for m, x, _ in eligible if m != f.metric), default=float(c) - 0.02)
            best_cos2 = max((x for m, _, x in eligible if m != f.metric), default=float(c2) - 0.05)
            p = self.paragraphs[f.paragraph_id]
            heading = p.section.split(SECTION_SEP)[-1] if p.section else ""
            lex = lexical(ts, f, heading)
            prob = match_probability(lex, float(c), best_cos, query.english, self.weights,
                                     float(c2) - best_cos2)
            if not reason and prob < self.weights.threshold:
                reason = f"“{f.metric}”不是问题所问的指标"
            score = prob + (0.05 if query.kind and f.kind == query.kind else 0.0)
            opens = leading_zone(f.sentence, p.region) if not zone and not f.area and _ECONOMY.search(f.metric) \
                and not WHOLE_PLACE.match(f.metric) else ""
            if opens and not names_zone(query.text, opens):
                score -= 0.3  # "平潭综合实验区…取得新进展，地区生产总值增长6.1%": more likely the zone's than the whole's
            score += 0.5 if reviewed and f.kind == "result" else 0.0
            if not query.years and f.year:
                score += 0.03 * max(0, 3 - (newest - f.year))  # no year asked: the newest report first
            out.append(Verdict(f, p, prob, score, reason, lex, float(c), best_cos, float(c2) - best_cos2))
        # the metric there in another form, or only for a part of the year the question does not name
        self._absent_metric(out, [f.place in places and (not why or why.startswith(_FORM_REASONS)) and bool(r)
                                  and r in (why, self._period_mismatch(query, f) if f.period not in ("", "多年")
                                            and f.period not in query.raw else "")
                                  for f, why, r in zip(facts, indicator, reasons)])
        self._neighbours(out, _counted_noun(query.text), query.aspect, "" if query.english else query.text)
        return sorted(out, key=lambda v: (not v.ok, -v.score))

    def _second_cosines(self, query: Query, phrases: list[str]) -> np.ndarray:
        """English: the second embedding's cosines (zeros without one, or when it cannot load)."""
        if not query.english or self.second is None:
            return np.zeros(len(phrases))
        try:
            return cosines(self.second.get(phrases), self.second.get([self._phrase(query)])[0])
        except Exception as exc:  # noqa: BLE001 - a model that cannot load leaves the first view alone
            log.warning("the second embedding for English questions is unavailable (%s); using e5 alone", exc)
            self.second = None
            return np.zeros(len(phrases))

    def context(self, query: Query, fact: Fact) -> str:
        """Why a fact's place, year or plan/result is not the question's ('' when they agree):
        the part of the test a list of a passage's figures must pass."""
        query = self.resolve(query)
        return self._context_mismatch(query, fact, set(self.places(query)), *self._asked_area(query.text))

    def _asked_part(self, unplaced: str) -> str:
        """A part of a place the reports name as the subject of figures with no 区 or 镇 of its own
        ("松山湖全年实现地区生产总值…"), named in a Chinese question; or ''."""
        if unplaced.isascii():
            return ""
        for word in tokenize.place_words(unplaced):
            if is_part_name(word) and any(leads_part(p.text, word) for p in self.paragraphs.values()):
                return word
        return ""

    def _asked_area(self, question: str) -> tuple[str, str]:
        """The zone (高新区) or the town the reports name (煤山镇) a question is about, or '';
        and the question without its places' names ("苏州工业园区" names no 工业园区 zone).
        Kept per question: ``context`` asks it again for each figure of the passages cited."""
        if question not in self._areas:
            if len(self._areas) > 256:
                self._areas.clear()
            unplaced = blank_places(question, self.book.gaz)
            area = asked_town(unplaced)
            at = unplaced.find(area) if area else -1
            # a town the reports do not name counts when a place names it ("东莞市虎门镇"): none of its figures are there
            after_place = at > 0 and question[at - 1] != unplaced[at - 1]
            if not (area and (after_place or any(area in p.text for p in self.paragraphs.values()))):
                area = asked_zone(question, self.book.gaz) or self._asked_part(unplaced)
            self._areas[question] = (area, unplaced)
        return self._areas[question]

    @staticmethod
    def _context_mismatch(query: Query, f: Fact, places: set[str], zone: str, unplaced: str) -> str:
        if f.place not in places:
            return f"这是{f.place or '另一地区'}的数字，问题问的是{'、'.join(sorted(places))}"
        if f.area and not names_zone(unplaced, f.area):
            return f"这是{f.place}{f.area}的数字，问题问的是{'、'.join(sorted(places))}全域"
        if zone and names_itself(zone):
            if zone not in f.metric + f.clause and f.area != zone:
                return f"问题问的是{zone}的数字，这是{f.place}的"
        elif zone and not (f.area and (zone in f.area or f.area in zone or f.area in ZONE_KINDS and names_zone(zone, f.area))) \
                and not (zone.endswith(OWN_SCOPE) and not f.area and "全域" not in f.metric and not WHOLE_PLACE.match(f.metric)):
            # (a fact's area the question names, as above; a report's unmarked figures may be its 直管区's)
            return f"问题问的是{zone}的数字，这是{f.place}{f.area or '全域'}的"
        if query.years and f.year not in query.years:
            return f"这是{f.year or '未知'}年的数字，问题问的是{'、'.join(map(str, query.years))}年"
        if query.kind and f.kind and f.kind != query.kind:
            return "这是计划目标，问题问的是实际完成" if f.kind == "plan" else "这是实际完成，问题问的是计划目标"
        return ""

    @staticmethod
    def _period_mismatch(query: Query, f: Fact) -> str:
        if f.period != query.period:
            return f"这是{f.period or '全年'}的数字，问题问的是{query.period or '全年'}"
        return ""

    def _indicator_mismatch(self, query: Query, f: Fact, units: tuple[str, ...], asked: list, ts: list) -> str:
        if any(same_number(f.quantity, x) and (f.unit == x.unit or not x.unit) for x in asked):
            return "这个数字是问题本身给出的"
        if self._is_threshold(f):
            return "这是分档的门槛（超过…的），不是指标的数值"
        if self._is_milestone(f) and not re.search(r"台阶|大关|关口|milestone", query.text, re.I):
            return "这是迈上的台阶（…新台阶），不是指标的数值"
        stated = [x for x in asked if (not x.unit and "." not in x.text and not 1900 <= x.value <= 2100)
                  or x.unit in COUNTERS and x.unit != "个百分点"]
        counts = [q for q in figures(f.sentence) if q.unit in COUNTERS and q.unit != "个百分点"] if stated else []
        if counts and not any(same_number(q, x) for q in figures(f.sentence) for x in stated):
            return f"问题说的是{stated[0].text}的那一组，这句说的是另一组"
        threshold = _asked_threshold(query.text)
        if threshold:
            # the size class nearest before the figure ("超过千亿元的园区达到3个、超过500亿元的达到11个")
            near = [m.group(0) for m in _SIZE_CLASS.finditer(self._clause_before(f))][-1:] or [f.clause]
            if not any(math.isclose(q.base, threshold, rel_tol=1e-9) for q in figures(near[0])):
                return "问题问的是另一档（超过…的那一组）"
        asked_pledge = _PLEDGE.search(query.text)
        if asked_pledge and len({bool(m.group("floor")) for m in _PLEDGE.finditer(f.sentence)}) == 2:
            # "确保完成3500亿元、力争达到3600亿元": the floor and the reach are two targets
            text = self.paragraphs[f.paragraph_id].text
            own = _PLEDGE.search(re.split(r"[、，；：。]", text[: f.start])[-1])
            if own and bool(own.group("floor")) != bool(asked_pledge.group("floor")):
                return f"这是“{own.group(0)}”的数字，问题问的是“{asked_pledge.group(0)}”的"
        # "多少座公园" is answered by "公园总数达到223个": 个 counts any thing the question names
        thing = _THING_COUNTED.search(query.text) if f.unit == "个" and len(units) == 1 and units[0] in _THINGS else None
        generic = bool(thing) and thing.group(1)[-2:] in f.metric
        if units and f.unit not in units and not generic and not (not f.unit and (f.scale and set(units) <= _HEADS or units == ("倍",))) \
                and not (f.unit == "倍" and "%" in units and _GROWTH_FACT.search(f.metric)):  # "增长1.8倍"
            return f"单位是{f.scale}{f.unit or '（无）'}，问题问的是{'/'.join(units)}"
        if _ADDED_Q.search(query.text) and f.unit not in ("%", "个百分点") and not re.search(r"增加|增长|多|提高|扩大", f.metric):
            return "这是总量，问题问的是增加了多少"
        if _PER_HEAD.search(f.metric) and not _PER_HEAD_Q.search(query.text):
            return "这是按人口折算的比率（每千人、每万人…），问题问的是数量"
        if f.scale in ("亿", "万亿") and _PRICE_Q.search(query.text) and not _PRICE_Q.search(f.metric):
            return "这是总额，问题问的是价格"
        if not units and _COUNT_Q.search(query.text) and f.unit in _NOT_COUNTS:
            return "问题问的是数量"
        if re.search(r"消费价格|物价|\bcpi\b|inflation|consumer prices?", query.text, re.I) \
                and not re.search(r"价格|物价|CPI", f.metric + f.clause, re.I):
            return "问题问的是价格涨幅，这是另一个指标"
        if f.unit == "个百分点" and GAP.search(f.metric) and not _GAP_Q.search(query.text):
            return "这是与别处或别的指标相比的差距，问题没有问比较"
        growth_fact = _GROWTH_FACT.search(f.metric)
        rate = _RATE_FACT.search(f.metric)
        if f.unit == "个百分点" and rate and not _RATE_Q.search(query.text) and not re.search(r"拉动|带动", f.metric):
            return f"这是{rate.group(0)}的变化，问题问的不是比率"  # "一般贸易进出口占比提高2.4个百分点"
        if f.unit in ("%", "个百分点") and growth_fact and not _GROWTH_Q.search(query.text):
            return "这是增长率，问题问的不是增速"
        if f.unit == "%" and not growth_fact and rate and not _RATE_Q.search(query.text) \
                and not _GROWTH_Q.search(query.text) and not units:
            return f"这是{rate.group(0)}，问题问的不是比率"  # 常住人口 is not 常住人口城镇化率
        if f.unit == "%" and not growth_fact and _GROWTH_Q.search(query.text) and "%" in units and \
                not re.search(r"比重|占比|比例|share|proportion|率", query.text, re.I):
            return "这不是增长率"
        # a qualifier scopes over what follows it: "…人均可支配收入增长5.8%" after the GDP figure
        # does not make that figure 人均
        scope = f.sentence[: f.sentence.find(f.clause) + len(f.clause)] if f.clause in f.sentence else f.sentence
        low = query.text.lower()
        opening = f.sentence.split("，")[0]  # "新能源产业跑出加速度，新增并网装机…": a kind the sentence opens with
        topic = opening if not re.search(r"\d", opening) else ""
        missing = [q for q in _QUALIFIERS if _asks_qualifier(q, low) and not any(
            (w in f.clause or topic.startswith(w) if q in _NOUN_QUALIFIERS else w in scope) or w in f.metric
            for w in _QUALIFIER_FORMS.get(q, (q,)))]
        if missing and (not query.english or missing[0].isascii()):
            return f"问题问的是“{missing[0]}”指标"
        own = f.metric.partition("占")[0]
        kind = next((k for k, words in _KINDS.items() if k in own and not any(w in low for w in words)), "")
        if kind and not query.english:
            return f"这是“{kind}”这一类的数字，问题问的是总体"
        partner = _PARTNER.search(f.clause)
        if partner and partner.group(1) in own and partner.group(1) not in query.text and not query.english:
            return f"这是对{partner.group(1)}的贸易，问题问的是全部"  # "对俄进出口增长5%以上"
        if re.search(r"人均\S*生产总值", own) and not _PER_PERSON.search(query.text + " ".join(query.expansions)):
            return "这是人均生产总值，问题问的是总量"
        sector = self._sector(query) if not query.english else ""
        if sector and sector not in f.clause + f.metric:
            return f"问题问的是{sector}的数字"  # 海洋生产总值 is not 全市生产总值
        for q, others in _OPPOSITES.items():  # "城镇、农村居民收入分别增长4.8%、7.1%": 7.1% is not 城镇's
            if _asks_qualifier(q, low) and any(o in f.metric for o in others) \
                    and not any(w in f.metric for w in _QUALIFIER_FORMS.get(q, (q,))):
                return f"问题问的是“{q}”，这是“{next(o for o in others if o in f.metric)}”的数字"
        if _ALL_RESIDENTS.search(low) and not _ONE_SIDE_Q.search(low) and _ONE_SIDE.search(f.metric):
            return f"问题问的是全体居民，这是“{_ONE_SIDE.search(f.metric).group(0)}”的数字"
        for part, besides in _PART_OF_TRADE:
            if _asks_qualifier(part, low) and besides not in low and "进出口" in f.metric:
                return f"问题问的是“{part}”，这是进出口的合计"
        one_way = re.search(r"(?<!进)出口|(?<!进出)进口", f.metric)
        if re.search(r"进出口|foreign trade|imports? and exports?|exports? and imports?", low) and one_way \
                and "进出口" not in f.metric:
            return f"问题问的是进出口，这是“{one_way.group(0)}”的数字"
        if not query.english:
            p = self.paragraphs[f.paragraph_id]
            other = indicator.mismatch(query.metric, query.expansions, f.metric, self._own_part(f),
                                       p.section + p.text[: f.start], self.vocabulary)
            if other:
                return other
        if query.aspect == "total" and _NEW_WORDS.search(f.metric) and not _TOTAL_WORDS.search(f.metric):
            return "这是新增数，问题问的是总数"
        if re.search(r"累计|cumulative|since", query.text, re.I) and re.search(r"全年|当年", f.metric) \
                and not _TOTAL_WORDS.search(f.metric):
            return "这是当年的数字，问题问的是累计数"  # "全年开行2218列，自首发以来累计开行8600列"
        if query.aspect == "new" and _TOTAL_WORDS.search(f.metric) and not _NEW_WORDS.search(f.metric):
            return "这是总数，问题问的是新增数"
        return ""

    def _sector(self, query: Query) -> str:
        """The sector a question's 生产总值/增加值 is of ('' for the place's own)."""
        m = _AGGREGATE_KIND.search(query.text)
        if not m:
            return ""
        before = m.group(1)
        for _, start, end in sorted(self.book.gaz.mentions(before), key=lambda x: -x[1]):
            before = before[:start] + "年" + before[end:]  # a place name is a boundary too
        sector = _NOT_SECTOR.sub("", before)
        return sector if len(sector) >= 2 else ""

    def _clause_before(self, f: Fact) -> str:
        """The text of the figure's clause before it (its paragraph up to it, if the clause is not found)."""
        text = self.paragraphs[f.paragraph_id].text
        return text[text.rfind(f.clause, 0, f.end) if f.clause in text[: f.end] else 0 : f.start]

    def _own_part(self, f: Fact) -> str:
        """The clause up to the figure, from the end of the figure before it: in "粮食播种面积96.3万亩、
        蔬菜产量192万吨", 粮食 qualifies the area, not the output."""
        return _AFTER_FIGURE.split(self._clause_before(f))[-1]

    def _is_threshold(self, f: Fact) -> bool:
        """"地区生产总值超过500亿元的县达到33个": 500亿元 names a size class."""
        text = self.paragraphs[f.paragraph_id].text
        # (or "过50亿元项目16个": the class's noun, then its count; not "超1000亿元同比增长5%")
        noun = re.match(r"([\u4e00-\u9fff]{2,6}?)(?:\d|达到|达|有)", text[f.end : f.end + 9])
        counted = bool(noun) and not re.search(r"增|降|比|占|提高|减|涨", noun.group(1))
        return (bool(re.match(r"(?:以上)?的", text[f.end : f.end + 3])) or counted) and (
            f.qualifier in _PASSED + ("以上",) or text[max(0, f.start - 1) : f.start] == "过")

    def _is_milestone(self, f: Fact) -> bool:
        """"迈上6万亿元新台阶", "突破2000亿元、达到2006.5亿元": a round figure the value has passed."""
        text = self.paragraphs[f.paragraph_id].text
        return bool(re.match(r"(?:的)?(?:新)?(?:台阶|大关|关口)", text[f.end : f.end + 4])) or bool(
            f.qualifier in _PASSED and re.match(r"[、，](?:达到|达|为)\d", text[f.end : f.end + 5]))

    @staticmethod
    def _absent_metric(verdicts: list[Verdict], wrong_form: list[bool], margin: float = 0.5) -> None:
        """When the question's metric is there only in another form (its growth rate, not the
        amount) or for another period (the first eleven months), a fact of another metric that
        matches far worse is not the answer either."""
        best = max((v.probability for v, w in zip(verdicts, wrong_form) if w), default=0.0)
        for v in verdicts:  # (a fact with every word of the question's metric is that metric)
            if v.ok and best - v.probability > margin and v.lexical < 0.9:
                v.reason = "报告给出的所问指标不是问题要的口径（如只有增速），这是另一个指标"

    @staticmethod
    def _neighbours(verdicts: list[Verdict], counted: str = "", aspect: str = "", asked: str = "",
                    margin: float = 0.3) -> None:
        """A fact whose sentence holds another passing fact that matches clearly better, that
        alone names what the question counts ("提供多少学位": 学位), or that alone is a number
        added when the question asks one, is its neighbour's figure, not the answer; and a part
        ("…64家，其中科创板上市企业24家") whose kind a Chinese question (``asked``) does not name
        is not the answer when its whole passes."""
        by_sentence: dict[tuple[str, str], list[Verdict]] = {}
        for v in verdicts:
            by_sentence.setdefault((v.fact.paragraph_id, v.fact.sentence), []).append(v)
        for group in by_sentence.values():
            passing = [v for v in group if v.ok]
            if len(passing) < 2:
                continue
            if aspect == "new":  # "常住人口6670万人，比上年末增加43万人": the added number, not the stock
                added = [v.fact.metric for v in passing if _ADDED.search(v.fact.metric)]
                new = any(_NEW_WORDS.search(v.fact.metric) for v in passing)
                for v in passing:  # "新增运营里程45.3公里，运营总里程达到879公里": not the total
                    if not _NEW_WORDS.search(v.fact.metric) and (any(m.startswith(v.fact.metric) for m in added)
                                                                 or new and _STOCK_WORDS.search(v.fact.metric)):
                        v.reason = "这是总数，问题问的是新增数"
                passing = [v for v in passing if v.ok] or passing
            if asked:
                for v in passing:
                    whole = next((w for w in passing if w.fact.start < v.fact.start and w.fact.unit == v.fact.unit
                                  and not w.fact.clause.startswith("其中")), None)
                    kind = _part_kind(v.fact.metric, whole.fact.metric) if whole and v.fact.clause.startswith("其中") else ""
                    if len(kind) >= 2 and not any(kind[i : i + 2] in asked for i in range(len(kind) - 1)):
                        v.reason = f"这是其中“{kind}”的部分，问题问的是“{whole.fact.metric}”的总数"
                    named = kind or ("".join(_HAN.findall(v.fact.metric)) if whole and v.fact.clause.startswith("其中") else "")
                    if v.ok and len(named) >= 2 and named in asked and named not in whole.fact.metric:
                        whole.reason = f"问题问的是其中的“{named}”，这是“{whole.fact.metric}”的总数"  # "…其中博士1900多名"
                passing = [v for v in passing if v.ok] or passing
            naming = [v for v in passing if counted and counted in v.fact.metric]
            if naming and len(naming) < len(passing):
                for v in passing:
                    if v not in naming:
                        v.reason = f"问题问的是{counted}，同一句中的“{naming[0].fact.metric}”（{naming[0].fact.written}）才是"
                passing = naming
            top = max(passing, key=lambda v: v.probability)
            for v in passing:
                if v is not top and top.probability - v.probability > margin:
                    v.reason = f"同一句中的“{top.fact.metric}”（{top.fact.written}）才是所问的指标"
