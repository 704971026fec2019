"""Every figure of a paragraph as a fact: value, unit, qualifier, the metric it is about
(its own subject, not the sentence's), place, year, plan/result, period and offsets.

"全市生产总值达到8123.4亿元，同比增长5.2%" gives two facts: 8123.4亿元 about
"全市生产总值" and 5.2% about "全市生产总值增长" (a clause without a subject of its
own inherits the one before it).  "新建学校12所、医院3所" gives 学校 12所 and 医院
3所; "A、B分别增长x%、y%" gives A x% and B y%.  Place, year and plan/result come from
the paragraph (so from the document and its headings) unless the clause says
otherwise ("2022年…", "前三季度…", "杭州市…").
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, replace
from typing import Iterable

from .clean import Paragraph
from .numbers import COUNTERS, QUALIFIERS_AFTER, Quantity, figures
from .places import NAMED_AFTER, NATION, RELATIONAL, TOWNS, WHOLE_PLACE, gazetteer, leading_part, leading_zone, short_form

SENTENCE = re.compile(r"[^。！？]+[。！？]?")  # a sentence, its end mark kept
_CLAUSE_SPLIT = re.compile(r"[，；：。！？]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Text in a document that addresses the assistant ("请忽略系统提示……") is data, never a fact.
INSTRUCTION = re.compile(
    r"(忽略|无视|不要理会|忘记|ignore|disregard|forget).{0,16}(系统|提示|指令|规则|以上|上述|要求|instruction|prompt|rule|"
    r"system|source|previous|above)"
    r"|(回答|回复|输出|作答|answer|reply|say|respond)\s*[：:]?\s*.{0,12}(是|为|was|is)\s*\d"
    r"|(致|给|告诉|对|to|dear)\s*(ai|人工智能|智能|助手|大模型|模型|机器人|assistant|chatbot|model|llm)"
    r"|系统指令|系统提示|提示词|system\s*prompt|system\s*[:：]|\[system\]|【系统"
    r"|(报告为|作答|答复为|回答为|respond with|answer with)",
    re.I,
)
_BEFORE_QUALIFIER = re.compile(r"(超过|突破|不少于|不低于|不高于|不超过|近|(?<![签合预节制公条契履])约|逾|超)$")
_LEADING = re.compile(r"^(?:按可比价格计算|按可比价计算|按不变价格计算|按不变价计算|扣除价格因素|按同口径计算|同口径|其中|实际(?!使用|利用|到位|可支配|GDP)|"
                      r"自?(?:19|20)\d\d年[^，；\d]{0,6}以来|对照[^，；]{0,30}?确定的|年初(?:我们)?(?:提出|确定|安排|计划|设定|部署|排定|下达|明确|定下|制定)的?(?:要)?(?:为)?|约(?=占)|截至目前|目前|(?:19|20)\d\d年(?:完成|目标|预期|计划)?|并且|并|同时|以及|和|及|且|另外|此外|全年|今年|去年|上年|当年|共|总计|合计|"
                      r"力争|确保|争取|努力|力求|预计|推动|实现了|实现|同比|[比较]上年(?:末|底)|[比较]上年|比去年|较去年|年均|平均|分别|均|各|为|在(?!校|建|职|岗|线|读|园|册|营|用|库)|有|对|把|将|使|让|由|从|"
                      r"前三季度|上半年|下半年|一季度|(?:第)?[二三四]季度(?:当季)?|当季|前(?:\d+|[一二三四五六七八九十]+)个月|1[-—~至]\d{1,2}月)+")
_TRAILING_VERB = re.compile(r"(?:分别|同比|[比较]上年(?:末|底)?|比去年|年均|平均)?(?:达到了|达到|达|实现了|实现|完成了|为|是|约为|约|近|逾|"
                            r"超过|突破|不少于|不低于|不高于|不超过|增至|提高到|提升到|增加到|攀升至|攀升到|升至|跃升至|提升至|提高至|增加至|降至|降低到|下降到|"
                            r"控制在|保持在|稳定在|拟按|按|拟|目标|(?:19|20)\d\d年(?:完成|目标|预期|计划)?|(?:一度)?(?:回落|回升|放缓|加快|上升|下降)(?:到|至)|"
                            r"在|有|居|(?<!班)列|位居|排名|占|以上|左右|超)+$")
_GROWTH = re.compile(r"(?:增长|增加|提高|提升|下降|降低|减少|上涨|回落|增速|增幅|拉动)$")
_ACTION = re.compile(r"^(?:新增|新建|建成|竣工|完工|新启动|启动|交付|建设|培育|引进|新开工|开工|改造|打造|实施|完成|举办|开行|新培育|认定|获批|入选|"
                     r"签约|落地|引育|新引进|新认定|新落地|累计|共|总数|总量|达到|新设|新登记|发放|提供|筹集|开通|新开通|"
                     r"更新|招引|集聚|培养|培训|帮扶|惠及|吸引|接待|服务|转化|认证|上榜|突破|超过|达)+$")
_LEADING_ACTION = re.compile(_ACTION.pattern.rstrip("$"))
_VERB_IN_NOUN = re.compile(r"完成|实现|达到|建成|开工|增长|投资|入选|获评|获批|位居|居(?!民|住|家)|占|超过|突破|累计|形成|带动|带来|惠及|提供")
MULTI_YEAR = "多年"  # a span of years ("过去五年", "十年来", "“十四五”以来") or an average over one ("年均")
AVERAGE = re.compile(r"(?:年均|年平均|平均每年)(?=增长|增速|增幅|递增|提高|下降|降低|减少|新增|增加|完成|实施|投入|开工|新建|建设)")  # not "PM2.5年均浓度"
# a span of years: "过去五年", "十年来", "“十四五”以来"
_SPAN_OF_YEARS = re.compile(r"(?:过去|近|这|前)(?:[两二三四五六七八九十]{1,2}|\d{1,2})年(?![度底末初])|(?<![\d〇零一二三四五六七八九十])"
                            r"(?:[两二三四五六七八九十]{1,2}|\d{1,2})年(?:来|间|以来)|“?十[一二三四五六七八九]五”?(?:规划)?(?:实施|开局)?以来")
PERIODS = (
    (re.compile(r"前三季度|1[-—~至]9月|一至九月|(?:截至|截止|到)(?:\d{4}年)?(?:9|九)月(?:底|末)"), "前三季度"),
    (re.compile(r"前(?:11|十一)个月|1[-—~至]11月|一至十一月|(?:截至|截止|到)(?:\d{4}年)?(?:11|十一)月(?:底|末)"), "前11个月"),
    (re.compile(r"前(?:10|十)个月|1[-—~至]10月|(?:截至|截止|到)(?:\d{4}年)?(?:10|十)月(?:底|末)"), "前10个月"),
    (re.compile(r"上半年|前(?:6|六)个月|1[-—~至]6月|(?:截至|截止|到)(?:\d{4}年)?(?:6|六)月(?:底|末)"), "上半年"),
    (re.compile(r"(?:第)?一季度|前(?:3|三)个月|1[-—~至]3月"), "一季度"),
    (re.compile(r"(?:第)?二季度"), "二季度"),
    (re.compile(r"(?<!前)(?:第)?三季度"), "三季度"),
    (re.compile(r"(?:第)?四季度"), "四季度"),
    (re.compile(r"前(?:两|2)个月|1[-—~至]2月"), "前两个月"),
    (_SPAN_OF_YEARS, MULTI_YEAR),
    (re.compile(r"“?(?:五一|国庆|春节|中秋|端午|元旦|清明)”?(?:假期|黄金周|小长假|期间)|黄金周|小长假"), "假期"),
)
_COMPARED_TO = re.compile(r"((?:略|继续|持续)?(?:高于|低于|快于|慢于|超过|超出))(全国|全省|全市|[\u4e00-\u9fff]{2,8}?)$")
_LEVEL_AFTER = re.compile(r"的?(?:平均)?水平")
_ONE_YEAR = re.compile(r"全年|过去一年|一年来|今年|去年|当年|上年|本年")
FULL_YEAR = re.compile(r"全年|全年度|年度(?!投资|计划(?!完成)|目标|任务|进度)")
_ASPECT_ONLY = re.compile(r"(?:年末|年底|期末)?(?:新增|新建|净增加|净增|累计|总数|总量|总计|合计|共|共有|达到|达|增长|增加|总规模|规模)+")
_ASPECT_WORDS = re.compile(r"^(?:全市|全区|全省|全县|全国)?(?:新增|新建|新认定|新获批|新登记|新注册|新设立|新引进|新培育|净增加|净增|累计|共有|共)?|(?:总数|总量|总计|合计|累计(?:达到|达)?|新增|新启动|新开工|净增)$")
_SHARE = re.compile(r"^(?:占|与[^，；]{1,12}之比|比(?!例|重)|较|居(?!民|住)|位居|排名|排(?!放|水|污)|列(?!车)|(?:增速|增幅)(?=比|高于|低于|快于|慢于))")
_ABOVE_WHOLE = re.compile(r"(?:(?:高于|低于|快于|慢于|超过|超出|略高于)|(?:提出|确定|设定|制定|下达)的)(全[市省国])(?:提出|确定|设定|制定|下达)?的?(?=\S{2})")
# "高新区作为创新主阵地，…", "苏相合作区加快产业导入，全年实现…": a zone that is the subject of the clause after
_ZONE_TOPIC = re.compile(r"作为|建设|发展|改革|加快|持续|全力|积极|大力|深入|不断|稳步|扎实|着力|坚持|聚焦|围绕|强化|推进|推动|发挥|依托|立足")
# "…装机达到1.35亿千瓦，全年新增并网4200万千瓦": an act with no object of its own
_BARE_ACT = re.compile(r"(?:全年|当年|年内)?(?:新增|新建|累计)?(?:并网|投产|投运|建成|开工|落地|签约|开通|通车|竣工)")
# a table's column name, which names no indicator of its own ("年度计划", "完成情况")
_COLUMN = re.compile(r"(?:实际)?完成(?:情况|值|数)$|(?:年度|全年)?(?:计划|目标)(?:值|数)?$")
# "抓好320个重点项目建设，完成投资1600亿元": a verb with a generic object is the subject's
_MILESTONE = re.compile(r"(?:首次|历史性|成功|一举)?(?:迈上|跨上|站上|跃上|迈入|跨入|登上|跨越)")
_GENERIC_ACT = re.compile(r"^(?:年度|全年|当年)?(?:已经?)?(?:完成|实现|累计完成|带动|拉动|撬动|吸引|形成)(?:年度|全年|当年)?(?:投资|收入|产值|交易额|营收|销售额|规模)?$")
_ATTRIBUTE = re.compile(r"(?:总投资|投资额?|总?面积|总?规模|总产值|总?里程|总?长度|全长|总?容量|总金额)$")
_OF_NOUN = re.compile(r"的(?:\d+(?:\.\d+)?[万亿]?(?:个|项|家|所|条|座|处))?([\u4e00-\u9fff]{2,14})")
_STRONG_PLAN = re.compile(r"力争|预期(?!寿命)|争取|确保|拟|将要|计划(?:新建|建设|实施|完成|开工|新增)|原定|原计划|"
                          r"年初(?:我们)?(?:提出|确定|安排|计划|设定|部署|排定|下达|明确|定下|制定)|年度计划投资")
# "增长7%左右的预期目标": a target named after its figure
_TARGET_AFTER = re.compile(r"^(?:以上|左右|以内)?[的等]?(?:[\u4e00-\u9fff]{0,4}?)目标")
# "对照年初确定的目标，A增长5%、B增长6%等目标…": a review sentence that restates the year's targets
_TARGETS_SENTENCE = re.compile(r"^对照[^，；。]{0,40}目标")
_UNSURE = re.compile(r"(?:原定|原计划|预计)$")  # "地区生产总值原定增长…": the metric is 地区生产总值增长
_STRONG_RESULT = re.compile(r"已经|已|实际|完成了|实现了|达到了")


@dataclass(frozen=True)
class Fact:
    """One figure of one paragraph and what it is about."""

    id: str
    paragraph_id: str
    source: str
    value: float
    scale: str
    unit: str
    written: str  # as the report writes it, qualifier included ("超过3300亿元", "6%以上")
    qualifier: str  # 以上, 左右, 突破, 超过, 近 … or ''
    metric: str  # its own subject ("全市生产总值", "全市生产总值增长", "新建充电桩")
    clause: str
    sentence: str
    place: str
    year: int | None
    kind: str  # plan | result | ''
    period: str  # "" (the whole year), 前三季度, 前11个月, 上半年, 多年 …
    start: int  # the figure's offsets in the paragraph text
    end: int
    area: str = ""  # a zone inside the place whose figure it is (自贸试验区, 高新区 …), or ''

    @property
    def quantity(self) -> Quantity:
        return Quantity(self.written, self.value, self.scale, self.unit, self.start, self.end)

    @property
    def figure(self) -> str:
        """Number, scale and unit without qualifiers ("3300亿元")."""
        return self.quantity.figure

    def to_dict(self) -> dict:
        return asdict(self)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the comma/semicolon clauses of a sentence."""
    spans, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        opened = sentence.rfind("（", max(0, m.start() - 30), m.start())
        if opened >= 0 and "）" not in sentence[opened : m.start()] and "）" in sentence[m.end() : m.end() + 30]:
            continue  # "（预计数，下同）": a parenthesis is no clause boundary
        spans.append((start, m.end()))
        start = m.end()
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return spans


def _respective(clause: str, qs: list[Quantity], offset: int, previous: list[str] = ()) -> dict[int, str]:
    """"A、B分别增长x、y": give each figure the item it belongs to (item + verb); ``previous``:
    the metrics of the clause before, for "A x、B y，总数分别达到…"."""
    m = re.search("分别", clause)
    if not m:
        return {}
    after = [q for q in qs if q.start - offset >= m.end()]
    items = [s for s in re.split(r"[、和及与]", clause[: m.start()]) if s]
    if len(items) == 1 and len(after) == 2 and "城乡" in items[0]:
        # "城乡居民人均可支配收入分别增长4.6%、6.5%": urban, then rural
        items = [items[0].replace("城乡", "城镇", 1), items[0].replace("城乡", "农村", 1)]
    if len(items) != len(after) and after:
        # "分别高于甲、乙2.0和0.5个百分点": the items come after 分别
        items = [s for s in re.split(r"[、和及与]", clause[m.end() : after[0].start - offset]) if s]
    if len(items) != len(after) and len(after) == len(previous) >= 2:
        # "企业技术中心14家、工程研究中心9家，总数分别达到186家、97家": the items are the
        # previous clause's subjects, and what comes before 分别 is what is counted of them
        aspect = _LEADING.sub("", clause[: m.start()].strip("，；：、 "))
        verb = clause[m.end() : after[0].start - offset]
        return {q.start: _ASPECT_WORDS.sub("", item) + aspect + verb for q, item in zip(after, previous)}
    if len(items) < 2 or len(items) != len(after):
        return {}
    items = _shared_head(items)
    lead = re.match(r".{2,}的", items[0])  # "经通道运输的货运量、货值": the first item's 的-modifier is the others' too
    if lead and not any("的" in i for i in items[1:]):
        items = [items[0]] + [lead.group(0) + i for i in items[1:]]
    verb_first = _COMPARE_VERB.match(items[0])
    if verb_first:  # "分别高于全国、全省0.7和0.2个百分点": each item is compared
        items = [items[0]] + [i if _COMPARE_VERB.match(i) else verb_first.group(0) + i for i in items[1:]]
    before = clause.find(items[0])
    verb = re.sub(r"[\d.%、和]+", "", clause[m.end() : after[0].start - offset]) if before < m.start() else ""
    return {q.start: items[i] + verb for i, q in enumerate(after)}


_MEASURE = re.compile(r"(?:吞吐量|增加值|营业收入|收入|产值|产量|总额|销售额|交易额|成交额|营收|利润|投资|规模|面积|里程|"
                      r"人数|数量|比重|占比|余额|进出口|出口|进口)$")


_RANKING = re.compile(r"排名|排行|榜|指数|名册|评价|评估|测评")  # what a rank ("第14位") is a place in
_ADVERBIAL = re.compile(r"[，；：\s]*(?:随着|由于|受|得益于|通过|依托|面对|面临|针对|围绕|为了|为)")
_COMPARE_VERB = re.compile(r"高于|低于|快于|慢于|多于|少于|高出|超出|领先")
_NAMES_MEASURE = re.compile(r"[值额量入率数积资润模重比价]$")


def _shared_head(items: list[str]) -> list[str]:
    """"航空货邮、旅客吞吐量" → 航空货邮吞吐量, 旅客吞吐量: the last item's measure is
    shared by the items before it that name none of their own."""
    head = _MEASURE.search(items[-1])
    if not head or len(items[-1]) <= len(head.group(0)):
        return items
    last = items[-1]
    # "城镇居民和农村居民人均可支配收入": parallel items share all that follows the last one's own part
    return [i if _NAMES_MEASURE.search(i) else
            i + (last[len(own):] if len(last) > len(own := _LEADING.sub("", i)) and last[len(own) - 1] == i[-1]
                 else head.group(0))
            for i in items[:-1]] + [last]


def _segment(clause: str, q: Quantity, others: list[Quantity], offset: int) -> tuple[str, str]:
    """The text before and after the figure within its part of the clause: a clause with
    several figures is cut at each 、 that follows a figure ("学校12所、医院3所")."""
    rel_start, rel_end = q.start - offset, q.end - offset
    begin, stop = 0, len(clause)
    for o in others:
        o_end = o.end - offset
        after = clause[o_end : o_end + 3]
        cut = re.match(rf"(?:{'|'.join(QUALIFIERS_AFTER)})?、", after)
        counted = re.match(r"[\u4e00-\u9fff]{1,8}、", clause[o_end : o_end + 9])  # "2家省实验室、总数达到11家"
        if (cut or counted) and o_end + (cut or counted).end() <= rel_start:
            begin = max(begin, o_end + (cut or counted).end())
        elif cut and o_end >= rel_end:
            stop = min(stop, o_end + cut.end() - 1)
    opened = max(clause.rfind("（", begin, rel_start), clause.rfind("(", begin, rel_start))
    if opened >= 0 and not re.search(r"[）)]", clause[opened:rel_start]):
        begin = opened + 1  # "…提高到23.3%（全省地区生产总值20913.25亿元）": the parenthesis has its own subject
        close = re.search(r"[）)]", clause[rel_end:stop])
        stop = rel_end + close.start() if close else stop
    before = clause[begin:rel_start]
    for o in others:  # drop earlier figures of the same part ("由5.2%提高到6%", "由设立前的11%提高到…")
        if begin <= o.end - offset <= rel_start and not _names_class(clause, o, offset):
            start = o.start - offset
            origin = _ORIGIN.search(clause[begin:start])
            before = before.replace(clause[begin + origin.start() if origin else start : o.end - offset], "")
    return before, clause[rel_end:stop]


_CLASS_BEFORE = re.compile(r"(?:过|超过|超|逾)$")
_CLASS_IN = re.compile(r"(?:过|超过|超|逾)[\d.]*[十百千万亿]*(?:元|美元)(?:以上)?")  # a size class in a subject
_CLASS_ONLY = re.compile(_CLASS_IN.pattern + "的?")  # a size class with no noun of its own


def _opening_zone(text: str, first_at: int, region: str) -> str:
    """The zone a sentence (or a ；-part) opens with, when its figures are the zone's: from its
    first clause on, or from the clause right after it names the zone as a topic ("高新区作为
    创新主阵地，…"); "上合示范区建设扎实推进，A…，B…" and "综合保税区、空港经济区能级提升，
    机场旅客吞吐量…" are no zone's figures."""
    zone = leading_zone(text, region) or leading_part(text, region)
    if not zone:
        return ""
    spans = _clauses(text)
    opening = spans[1][1] if text.startswith("其中，") and len(spans) > 1 else spans[0][1]
    # what follows the zone's name (and its other name: "经济技术开发区（亦庄）作为…")
    after_zone = re.sub(rf"^[^，；]*?{re.escape(zone)}(?:（[^）]{{1,12}}）)?", "", text, count=1)
    if first_at >= opening and not (_ZONE_TOPIC.match(after_zone) and len(spans) > 1 and first_at < spans[1][1]):
        return ""
    return zone


def _names_class(clause: str, o: Quantity, offset: int) -> bool:
    """"过50亿元项目16个", "超过千亿元的园区3个": an amount that names the class of what is counted
    stays in its name."""
    return o.unit in ("元", "美元") and bool(_CLASS_BEFORE.search(clause[: o.start - offset])) and bool(
        re.match(r"(?:以上)?的?(?!同比|增长|增速|比|较)[\u4e00-\u9fff]{2}", clause[o.end - offset :]))


def _subject(before: str) -> tuple[str, str]:
    """(subject, verb) of the text before a figure: "全市生产总值达到" → ("全市生产总值", "")."""
    text = re.sub(r"[（(][^）)]*[）)]|[“”\"'‘’《》【】①-⑳]|自?(?:19|20)\d\d年[^，；\d]{0,6}以来", "", before).strip("，；：、。！？ ")
    text = re.sub(r"(?<=^全[市省区县州])实现了?", "", _LEADING.sub("", text))  # "全市实现地区生产总值"
    text = _TRAILING_VERB.sub("", text)
    inner = re.search(r"(?:全年|今年|当年)(?=实现|完成|达到|新增)", text)
    if inner and inner.start() >= 8 and not leading_zone(text, ""):  # "…作用持续增强全年实现地区生产总值" (a heading run into its text)
        text = _LEADING.sub("", text[inner.start():])
    passed = re.search(_MILESTONE.pattern + "$", text)
    if passed and passed.start() >= 2:
        text = text[: passed.start()]  # "全州地区生产总值首次迈上千亿元台阶": the subject is 全州地区生产总值
    growth = _GROWTH.search(text)
    if growth:
        return _UNSURE.sub("", _LEADING.sub("", text[: growth.start()])), growth.group(0)
    return _UNSURE.sub("", text), ""


def _noun_after(after: str) -> str:
    """"新增3家上市公司" → "上市公司": the noun a count is of, up to its verb or punctuation."""
    if after.startswith("、"):
        return ""  # the list goes on with another figure ("1120家、总数达到6508家")
    after = re.sub(r"[（(][^）)]{1,4}[）)]", "", after)
    listed = re.match(r"([^，；：。！？（(、]*)、(?=[^，；：。]*\d)", after)  # "2家省实验室、总数达到11家", not "440个省、市重点项目"
    text = listed.group(1) if listed else re.split(r"[，；：。！？（(]", after, maxsplit=1)[0]
    text = re.sub(rf"^(?:{'|'.join(QUALIFIERS_AFTER)})", "", text)
    if text.startswith(("的", "等")):
        return ""  # "增长7%左右的预期目标", "110万人等目标": what follows is not what is counted
    verb = _VERB_IN_NOUN.search(text)
    return text[: verb.start()] if verb else text[:12]


def _period(sentence: str, at: int) -> str:
    """The period a figure at offset ``at`` covers: the last period marker before it in the
    sentence ("前三季度…"), unless "全年" comes after that marker.  A marker inside the
    sentence ("全年增长2.7%，其中前三季度增长8.6%；社零…") holds to the next ；, one that
    opens the sentence (before its first figure) for the whole sentence."""
    clause = re.split(r"[，；：。]", sentence[:at])[-1]
    if AVERAGE.search(clause):
        return MULTI_YEAR  # "四年年均增长7.9%"
    best, where = "", -1
    for pattern, name in PERIODS:
        for m in pattern.finditer(sentence, 0, at):
            if m.start() > where:
                best, where = name, m.start()
    opening = not re.search(r"\d", sentence[:where]) if best else False
    if best and not opening and "；" in sentence[where:at]:
        return ""
    if best:
        full = [m.start() for m in FULL_YEAR.finditer(sentence, 0, at)]
        if full and full[-1] > where:
            return ""
    return best


def _opening_span(text: str) -> str:
    """MULTI_YEAR when a paragraph opens with a span of years before any figure ("回顾“十四五”
    以来的四年，我们…。…累计新建学校31所"): its sentences are about the span, unless one names
    its own year."""
    first = SENTENCE.match(text)
    head = first.group(0) if first else text
    m = _SPAN_OF_YEARS.search(head)
    return MULTI_YEAR if m and not re.search(r"\d", head[: m.start()]) else ""


def _stated_year(sentence: str, at: int) -> int | None:
    """An explicit year before the figure in its sentence ("2022年…"; not "2020年以来"); one
    inside the sentence ("…；力争到2025年规模突破7万亿元；培育…") holds to the next ；."""
    found = None
    for m in re.finditer(r"(?<![由从比较])((?:19|20)\d\d)\s*年(?![^，；。\d]{0,6}以来|来)", sentence[:at]):
        opening = not re.search(r"\d", sentence[: m.start()])
        found = int(m.group(1)) if opening or "；" not in sentence[m.end() : at] else found
    return found


# "全国重点实验室", "全省文明城市": a rank or title the place's own units hold, not the larger place's figure
_CATEGORY = re.compile(r"(?:重点|示范|文明|百强|先进|首批|首个|首家|首位|第一|优秀|典型|十佳|一流|领先|前列|唯一|统一|性)")
# "全国名特优新农产品总数达到54个": counts of units that hold a national or provincial title
_CATEGORY_COUNTERS = {"个", "家", "项", "所", "处", "座", "批", "名", "位", "类", "种", "届", "星", "级"}
_WHOLE_NAMED = re.compile(r"(?<![占比较于])全(?:域|市|区|县|省)")  # the whole place named, not compared with
_OWN_NAME = re.compile(r"^(?:新区|我区|本区|我市|本市|我县|本县|我省|本省)(?=全)")  # "新区全域…": the whole place
_SELF_WORDS = re.compile(r"新区|我区|本区|全区|我市|本市|我县|本县|全县|我省|本省|我州|本州|全州|全盟|全旗")
_LEVEL_ABOVE = {"全国": ("province", "city", "county", "area"), "全省": ("city", "county", "area"),
                "全市": ("county", "area")}


def _enclosing(word: str, p: Paragraph) -> str:
    """The place a "全省"/"全国"/"全市" opening means in a report of a lower level (a city's
    report saying 全省 speaks of its province): '' when it is the report's own place."""
    if p.place_level not in _LEVEL_ABOVE.get(word, ()) or word == "全市" and p.region.endswith("市"):
        return ""
    if word == "全国":
        return NATION
    gaz = gazetteer()
    place = gaz.lookup(p.region) or (gaz.lookup(p.place_parent) if p.place_parent else None)
    want = "province" if word == "全省" else "city"
    while place is not None and place.level != want:
        place = gaz.parent_of(place)
    if place is None and p.place_parent and word == "全市":
        return p.place_parent  # a 直辖市's new area: its city is province-level
    return place.name if place is not None else word


def _other_place(metric: str, p: Paragraph, before: str = "", unit: str = "") -> str:
    """A place the subject itself names, when it is not the paragraph's own ("杭州市…", or
    "全省…" in a city's report, but not "对全省…的贡献")."""
    if metric.startswith("国内生产总值") and p.place_level != "nation":
        return NATION  # the nation's own name for its GDP
    metric = re.sub(r"^(?:同期|同时)", "", metric)  # "…，同期全省地区生产总值增长5.1%"
    whole = WHOLE_PLACE.match(metric)
    if whole and not _CATEGORY.match(metric, whole.end()) \
            and (unit not in _CATEGORY_COUNTERS
                 or re.match(r"(?:今年|全年)?(?:新增|新建|新认定|新培育|新引进|新设|新登记|新注册|新签约|安排|实施)",
                             metric[whole.end():])) \
            and not re.search(rf"[对占比较于居列在]{whole.group(0)}", before):
        enclosing = _enclosing(whole.group(0), p)
        if enclosing:
            return enclosing
    own = {p.region, p.place_parent}
    for place, start, end in gazetteer().compounds(metric):  # "宁波舟山港": 宁波's, not 舟山's
        if place.name == p.region or place.level not in ("province", "city", "county") \
                or RELATIONAL.search(metric[:start]) or NAMED_AFTER.match(metric, end):
            continue
        rest = p.region[len(place.short):] if p.region.startswith(place.short) else ""
        if rest and metric[end:].startswith(rest[:2]):
            continue  # "云岭滨湖新区…": the report's own name, which begins with its city's
        if start >= 2 and p.region.endswith(metric[:start]):
            continue  # "天府新区眉山片区…": a zone of the report's own place, named after a city
        if place.name == p.place_parent and (place.name.endswith(("市", "州", "盟", "省", "自治区")) and metric[start:end] == place.name
                                             or metric.startswith(("全省", "全市", "全州"), end)):
            return place.name  # "宝鸡市全年外贸进出口总额…", "河北全省…" in a lower place's report: the larger place's figure
        if place.name not in own and not any(place.short in o for o in own if o):
            return place.name
    return ""


_SHARE_OF = re.compile(r"占([^，；。、占的\d]{2,24})$")  # "…，占河南省全省进出口总值" before an amount
_SHARE_AFTER = re.compile(r"的(?:比重|比例)?(?:为|达到|达|是)?[\d.]+%")
_ORIGIN = re.compile(r"[由从](?:(?:19|20)\d\d年|[^，；、\d]){0,12}$")  # "由设立前的", "从2020年的"
# "增速高于全国0.8个百分点": a gap to another place or indicator
GAP = re.compile(r"高于|低于|快于|慢于|高出|低出|超出|领先|落后")
_CHANGED_TO = re.compile(r"(?:提高|提升|增加|增长|上升|扩大|下降|降低|减少|缩小|缩短|延长)(?:到|至)")
_LAST_YEAR_OPENS = re.compile(r"^\s*(?:在|回顾)?(?:去年|上年|上一年|过去一年)(?!以来|同期)")
_UNIT_WORDS = r"(?<=[\u4e00-\u9fff])(万亿|亿|万|)(元|美元|人|人次|户|吨|千瓦时|千瓦|平方米|公里|标箱|亩)"
_UNIT_COLUMN = re.compile(_UNIT_WORDS + r"\s*$")  # right before a bare value: its unit
_UNIT_ENDING = re.compile(_UNIT_WORDS + r"[—\s]*$")  # a row name's unit cell (or "亿元—", an empty value)
_UNIT_IN_NAME = re.compile(r"(?:人次|标准箱|标箱|千瓦时|千瓦|平方米|公里|美元|人|户|吨|辆|亩|元)$")
# "郑州美术学院": a school, hospital or bank named after a place is not the place


def _list_number(text: str, q: Quantity) -> bool:
    """"注：3.社会消费品零售总额…", "1、": a list's numbers are no figures; nor is the year that
    names a list or an event, or a ranking's size ("2024中国民营企业500强")."""
    if not (q.unit or q.scale) and (re.fullmatch(r"(?:19|20)\d\d", q.text) and re.match(r"[\u4e00-\u9fff]", text[q.end : q.end + 1])
                                     or text[q.end : q.end + 1] == "强"):  # "世界500强": a ranking's name
        return True
    return not (q.unit or q.scale) and bool(re.match(r"[.、．]\D", text[q.end : q.end + 2])) \
        and not re.search(r"[^\s：:；;。（(]", text[q.start - 1 : q.start])


def fact_id(paragraph_id: str, start: int, text: str) -> str:
    return hashlib.sha256(f"{paragraph_id}:{start}:{text}".encode("utf-8")).hexdigest()[:16]


def extract_facts(p: Paragraph) -> list[Fact]:
    """The facts of one paragraph, in reading order."""
    out: list[Fact] = []
    text = p.text
    all_figures = [q for q in figures(text) if not _list_number(text, q)]
    carried = ""  # the subject of the last figure, for a next sentence that opens without one
    span = _opening_span(text)
    for sm in SENTENCE.finditer(text):
        sentence = sm.group(0)
        qs = [q for q in all_figures if sm.start() <= q.start < sm.end()]
        if not qs or INSTRUCTION.search(sentence):
            continue
        targets = bool(_TARGETS_SENTENCE.match(sentence))
        opened = len(out)  # this sentence's facts start here
        subject = carried  # the running subject, for clauses without one of their own
        # "自贸试验区…片区5项成果在全国推广，货物进出口额增长15.4%": a sentence that opens with a
        # zone's own figure is about the zone throughout
        spans = _clauses(sentence)
        zone = _opening_zone(sentence, qs[0].start - sm.start(), p.region)
        sentence_zone = zone
        previous: list[str] = []  # the metrics of the last clause with figures
        borrowed = ""  # the measure a "其中" part took from its whole
        enclosing = ""  # "全市汽车产量…，新能源汽车产量…" in a district's report: the city's, up to a ；
        own_subject = False  # a subject named in this ；-part: what a generic verb ("完成投资") borrows
        for a, b in spans:
            clause = sentence[a:b]
            new_part = bool(a) and sentence[a - 1] == "；"
            part_start = len(out) if new_part or not a else part_start
            if new_part or _SELF_WORDS.search(clause) or WHOLE_PLACE.match(clause.strip("，；：、 ")):
                enclosing = ""  # "厦门港…，全省沿海港口…": the whole place again
            if new_part:  # "经开区…；天津港保税区…；中新生态城…": each part's own zone
                town = re.match(rf"[\u4e00-\u9fff]{{2,3}}(?:{'|'.join(TOWNS)})[、，和与]", clause)  # "；煤山镇、和平镇…": no longer the zone's
                # the zone goes on to a part that names none, unless the sentence has named the whole place
                # ("直管区…，带动新区全域…；城镇新增就业…", not "片区…，约占全区的75%；跨境电商…")
                whole = _WHOLE_NAMED.search(sentence[:a])
                first_at = next((q.start - sm.start() - a for q in qs if q.start - sm.start() >= a), 0)
                zone = _opening_zone(sentence[a:], first_at, p.region) or ("" if town else sentence_zone if whole else zone)
                own_subject = False
            in_clause = [q for q in qs if a <= q.start - sm.start() < b]
            if not in_clause:
                looking = re.match(r"从(全国|全省|全市)(?:层面|范围|情况)?看", clause)
                if looking:  # "从全国看，2023年国内生产总值增长5.2%，…": the enclosing place's, up to a ；
                    enclosing = _enclosing(looking.group(1), p) or enclosing
                    continue
                opener = re.sub(r"^(?:省会|首府|副省级城市|省域副中心城市)", "", clause)
                named = _other_place(opener[:12], p) if a == 0 else ""
                if named and opener.startswith(short_form(named)):
                    enclosing = named  # "省会济南全力推进新型工业化，规上工业增加值增长6.5%": 济南's, up to a ；
                    continue
                lead, _ = _subject(clause)
                if len(_HAN.findall(lead)) >= 2 and not _ADVERBIAL.match(clause):  # "随着…投产，": no subject
                    subject, own_subject = lead[-20:], True  # a long lead ends in its noun
                continue
            offset = sm.start() + a
            earlier = [f.metric for f in out[part_start:]]  # "接待游客1.1亿人次，实现旅游收入816.4亿元，分别增长…"
            items = previous if len(previous) >= len(in_clause) or len(earlier) < len(in_clause) else earlier[-len(in_clause):]
            own = _respective(clause, in_clause, offset, items)
            first = len(out)
            listed = ""  # "新增A中心19家、B中心22家": the action that opens a list of counts
            for q in in_clause:
                before, after = _segment(clause, q, [o for o in in_clause if o is not q], offset)
                if _CHANGED_TO.match(after) and _ORIGIN.search(before):
                    continue  # "由设立前的11%提高到34.6%": the starting point is no figure of the year
                part_area = ""
                if q.start in own:
                    head, verb = _subject(re.sub(r"[\d.%]+", "", own[q.start]))
                    metric = (subject if _COMPARE_VERB.match(head) else "") + head + verb
                else:
                    head, verb = _subject(before)
                    own_words = len(_HAN.findall(head)) >= 2
                    compared = bool(re.match(r"[比较]", head)
                                    or re.search(r"年初[^，；\d]{0,6}$", before) and _TARGET_AFTER.match(after))
                    bare = not head and not verb and not _HAN.search(after[:1])  # "，2024年目标7.5%左右": no words of its own
                    noun = _noun_after(after)
                    counted = q.unit in COUNTERS or q.unit in ("人", "户", "人次", "套", "公里")
                    opens = _LEADING_ACTION.match(head) if counted else None
                    if opens and q is in_clause[0]:
                        listed = opens.group(0)
                    elif listed and counted and not opens and len(_HAN.findall(head)) >= 2 and head[0] != "新" \
                            and clause[: q.start - offset - len(before)].endswith("、"):
                        head = listed + head
                    if (not head or _ACTION.fullmatch(head) or counted) and len(_HAN.findall(noun)) >= 2:
                        head = head + noun
                    attribute = _ATTRIBUTE.search(head)
                    of = _OF_NOUN.match(after) if attribute else None
                    if of:  # "总投资1800亿元的90个产业项目": the projects' total investment
                        noun = of.group(1)
                        verb_at = _VERB_IN_NOUN.search(noun)
                        head = (noun[: verb_at.start()] if verb_at else noun) + attribute.group(0)
                    milestone = bool(_MILESTONE.fullmatch(head))  # "迈上6万亿元新台阶" restates the subject's figure
                    # "…增长20.9%，拉动规上工业增加值增长2.1个百分点": the contribution of the figure before
                    gap = (_COMPARE_VERB.match(head) or re.match(r"拉动|带动", head) and q.unit == "个百分点") \
                        and (not verb or head.startswith(("拉动", "带动"))) and (previous or subject)
                    # "受理群众诉求155.3万件，响应率100%，解决率94.5%": the count's rates
                    rate = bool(re.fullmatch(r"[\u4e00-\u9fff]{1,2}率", head)) and head[0] not in subject
                    if gap:  # "增长6%，高于全市平均水平0.8个百分点": the growth's gap
                        head = (previous[-1] if previous else subject) + head
                    elif previous and _COLUMN.fullmatch(head):  # a table row's next column: "…年度计划60公里，完成情况72公里"
                        head = _COLUMN.sub("", previous[-1]) + head
                    elif subject and _CLASS_ONLY.fullmatch(head):  # "超过百亿元的企业2家、超过50亿元的达到5家": the next class
                        classed = _CLASS_IN.search(subject)
                        head = (subject[: classed.start()] + head.rstrip("的") + subject[classed.end() :]) if classed else subject + head
                    elif subject and (len(_HAN.findall(head)) < 2 or _ASPECT_ONLY.fullmatch(head) or milestone or rate
                                      or _BARE_ACT.fullmatch(head) and not counted
                                      or _SHARE.match(head) or _GENERIC_ACT.match(head) and own_subject
                                      or q.unit in ("位", "名") and head.endswith("第") and not _RANKING.search(head)
                                      or _ATTRIBUTE.fullmatch(re.sub(r"^(?:年度计划|年度|计划|当年)", "", head))):
                        if _GENERIC_ACT.match(head):  # "…年度计划投资4300亿元，实际完成投资4826亿元"
                            head = re.sub(r"(?:年度)?计划" + _ATTRIBUTE.pattern, "", subject) + head
                        else:
                            head = subject + head
                    elif subject and counted and _ACTION.fullmatch(head):
                        head = head + (_LEADING_ACTION.sub("", subject) or subject)  # "新建学校12所，建成10所"
                    if subject and head and head in subject and re.search(r"实际\S{0,4}$", before):
                        head = subject  # "年初计划新开工A 450个，全年实际新开工537个": the planned indicator
                    metric = (head + verb).strip("，；：、 ")
                    own_rate = [f.metric for f in out[opened:] if f.unit == q.unit and f.place == p.region and not GAP.search(f.metric)]
                    if compared and _TARGET_AFTER.match(after) and (own_rate or previous):
                        # "增长5.5%，比年初确定的4.8%左右的预期目标高出…", "未能完成年初确定的115亿美元目标": its target
                        # (not a gap's, "增长7.5%，高于全省2个百分点，高于年初确定的7%左右的预期目标")
                        metric = own_rate[-1] if own_rate else previous[-1]
                    elif previous and re.fullmatch(r"(?:全年)?实际(?:完成|实现|达到|为)?了?", before.strip("，；： ")):
                        metric = previous[-1]  # "经济增长目标为5%左右，实际完成5.8%": the same indicator's result
                    elif verb and not own_words and previous and not _GROWTH.search(previous[-1]) and len(out) == first \
                            and any(m.group(0) for m in _ASPECT_WORDS.finditer(previous[-1])):
                        metric = previous[-1] + verb  # "新登记经营主体55.48万户，增长31.3%": the new registrations' growth
                    elif bare and previous and subject and previous[-1].startswith(subject):
                        metric = previous[-1]  # the same indicator as the figure before it (a table row's next column)
                    measure = _MEASURE.search(previous[-1]) if previous and before.startswith("其中") else None
                    measure = measure.group(0) if measure else borrowed if re.fullmatch(r"[\u4e00-\u9fff]{1,4}(?:完成|实现|达到|为)?", metric) else ""
                    if measure and not _NAMES_MEASURE.search(metric):
                        metric += measure  # "公路总里程12.1万公里，其中高速公路5615公里": 高速公路里程
                    borrowed = measure  # "其中南区完成2950.7亿元，北区完成335.7亿元": the next part's too
                    part_area = out[-1].area if measure and len(out) > opened else ""  # the parts of a zone's figure
                    whole_count = previous[-1] if previous and out and out[-1].unit == q.unit and q.unit in COUNTERS else ""
                    if whole_count and before.startswith("其中") and not measure and len(_HAN.findall(metric)) <= 6 \
                            and metric.endswith(("区", "园", "城") + TOWNS):
                        # "亿元以上楼宇达到196座，其中CBD功能区148座": the part's count of the same things
                        metric += _ASPECT_WORDS.sub("", WHOLE_PLACE.sub("", whole_count))
                    core = _ASPECT_WORDS.sub("", head)
                    if len(_HAN.findall(core)) >= 2 and not _SHARE.match(core) and not milestone and not compared and not gap and not rate:
                        subject = carried = re.sub(r"(?:全年|当年|今年)$", "", core)[:20]
                        own_subject = True
                before_text = text[: q.start]
                pre = _BEFORE_QUALIFIER.search(before_text)
                qualifier = pre.group(1) if pre else ""
                post = re.match(rf"(?:{'|'.join(QUALIFIERS_AFTER)})", text[q.end : q.end + 2])
                qualifier = qualifier or (post.group(0) if post else "")
                written = q.text if q.unit in q.text or not q.unit else q.text + q.scale + q.unit
                written = written if q.text[0].isdigit() else q.figure  # 百分之三十五点八 → 35.8%
                written = (pre.group(1) if pre else "") + written + (post.group(0) if post and post.group(0) not in written else "")
                at = q.start - sm.start()
                stated = _stated_year(sentence, at)
                if not stated and (p.doc_year or p.year) and _LAST_YEAR_OPENS.match(sentence):
                    stated = (p.doc_year or p.year) - 1  # "去年年初我们确定的…目标为5%左右，实际完成5.8%；…" in this year's section
                if re.search(r"(?:上年|去年|上一年)(?:同期)?的$", before) and (stated or p.year):
                    stated = (stated or p.year) - 1  # "涨幅2%左右，比上年的3%左右有所下调": last year's
                kind = "plan" if targets else p.kind
                local = clause[: q.start - offset]
                if stated and p.year and stated < p.year and re.search(r"完成|实际|实现", local):
                    kind = "result"  # "2023年完成7.6%" in the table of the 2024 targets
                elif _STRONG_PLAN.search(local) or re.search(r"(?:年度|全年)?计划$", local) or _TARGET_AFTER.match(text[q.end : sm.end()]) or re.search(r"目标(?:为|是|定为|确定为|设定为)?$", local) \
                        or "预计" in local and p.kind != "result":  # in a review, 预计 is an estimate of the result
                    kind = "plan"
                elif _STRONG_RESULT.search(local) and (kind != "plan" or targets):
                    kind = "result"
                if kind == "plan" and p.kind == "result" and re.match(r"[^，；。]{0,16}?(?:全部|全面|均已|已全部)(?:完成|办结)", text[q.end : sm.end()]):
                    kind = "result"  # "年初确定的31件民生实事全部完成"
                place = _other_place(metric, p, before, q.unit)
                whole = re.search(r"[，、](?:分别|约|均|共|合计)?占(全[市省州国])", sentence[at:].split("；")[0])
                if place and whole and _enclosing(whole.group(1), p) == place:
                    place = ""  # "北京市专精特新中小企业2300家，…分别占全市的35%": counted by the city, not its figure
                if place and (WHOLE_PLACE.match(metric) or metric.startswith(short_form(place))):
                    enclosing = place  # "鄞州区经济总量…，一般公共预算收入…": the district's, up to a ；
                above = _ABOVE_WHOLE.search(metric) if not place and q.unit != "个百分点" else None
                larger = _enclosing(above.group(1), p) if above else ""
                if larger and len(_HAN.findall(metric[above.end():])) >= 4 \
                        and not re.match(r"增长|增速|增幅|提高|下降", metric[above.end():]):
                    # "高于全市提出的地区生产总值增长5%左右的预期": the larger place's own target
                    place, metric = larger, metric[above.end():]
                place = place or enclosing or p.region
                share_of = _SHARE_OF.search(clause[: q.start - offset]) if q.unit != "%" and _SHARE_AFTER.match(text, q.end) else None
                named = _other_place(share_of.group(1), p) if share_of else ""
                if named:  # "占河南省全省进出口总值8107.9亿元的44.4%": the amount is the named place's own
                    whole_name = share_of.group(1)
                    short = short_form(named)
                    rest = whole_name[whole_name.find(short) + len(short):] if short in whole_name else whole_name
                    place, metric = named, re.sub(r"^[省市区县]?(?:全[省市国区县])?", "", rest) or metric
                if text[q.start - 1 : q.start] in "（(" and text[q.end : q.end + 1] in "）)":
                    # "增速分别高于全省（5.5%）和金华全市（6.3%）": the named place's figure of the same indicator
                    word = re.search(r"(全国|全省|全市)$", text[max(0, q.start - 10) : q.start - 1])
                    named = _other_place(text[max(0, q.start - 8) : q.start - 1], p) or (_enclosing(word.group(1), p) if word else "")
                    same = [f.metric for f in out[opened:] if f.unit == q.unit and f.place == p.region]
                    if named and same:
                        place, metric = named, re.sub(r"^全[市区县省]", "", same[-1])
                level = _COMPARED_TO.search(text[max(0, q.start - 12) : q.start])
                if level and _LEVEL_AFTER.match(text, q.end):
                    # "城镇化率继续高于遵义市60.37%的平均水平": the named place's figure of the same indicator
                    word = level.group(2)
                    named = _enclosing(word, p) if WHOLE_PLACE.match(word) else _other_place(word, p)
                    if named:
                        place, metric = named, metric[: metric.rfind(level.group(1))] or metric
                named = _UNIT_IN_NAME.search(metric) if q.scale and not q.unit else None  # "出游人次达到56.15亿"
                scale = q.scale
                column = _UNIT_COLUMN.search(text[max(0, q.start - 8) : q.start]) if not q.scale and not q.unit else None
                if column:  # a table row "存款余额 亿元 11224 6.9" read as text: the unit column before the value
                    scale, named = column.group(1), column
                    written = f"{q.text.strip()}{column.group(1)}{column.group(2)}"
                if not q.unit and not q.scale:
                    metric = _UNIT_ENDING.sub("", metric) or metric  # the unit cell is no part of the name
                out.append(Fact(
                    id=fact_id(p.id, q.start, q.text), paragraph_id=p.id, source=p.source,
                    value=q.value, scale=scale, unit=(named.group(2) if column else named.group(0)) if named else q.unit,
                    written=written, qualifier=qualifier,
                    metric=metric[-30:], clause=clause.strip(), sentence=sentence.strip(),
                    place=place, year=stated or p.year, kind=kind,
                    period=_period(sentence, at) or (span if not stated and not _ONE_YEAR.search(sentence) else ""),
                    start=q.start, end=q.end,
                    area=leading_zone(metric, p.region) or part_area
                    or (zone if not WHOLE_PLACE.match(_OWN_NAME.sub("", metric)) else ""),
                ))
            previous = [f.metric for f in out[first:]]
    return out


def facts_by_paragraph(paragraphs: Iterable[Paragraph]) -> dict[str, list[Fact]]:
    """Each paragraph's facts.  A figure of a document's opening, before any section (a WeChat
    copy's "划重点：…"), that a section of the document states again, of the same metric, takes
    that section's year and plan/result."""
    paragraphs = list(paragraphs)
    out = {p.id: extract_facts(p) for p in paragraphs}
    opening = {p.id for p in paragraphs if not p.section}
    stated: dict[tuple[str, str], list[Fact]] = {}
    for f in (f for pid, fs in out.items() if pid not in opening for f in fs if f.kind):
        stated.setdefault((f.source, f.written), []).append(f)
    for pid in opening:
        out[pid] = [_restated(f, stated.get((f.source, f.written), [])) for f in out[pid]]
    return out


def _restated(f: Fact, body: list[Fact]) -> Fact:
    own = "".join(_HAN.findall(f.metric))
    for g in body:
        theirs = "".join(_HAN.findall(g.metric))
        if own and theirs and (own.endswith(theirs) or theirs.endswith(own)):
            return replace(f, year=g.year, kind=g.kind)
    return f


def extract_all(paragraphs: Iterable[Paragraph]) -> list[Fact]:
    """Facts of many paragraphs."""
    return [f for fs in facts_by_paragraph(paragraphs).values() for f in fs]
