"""Questions: normalise them like the corpus; read which metric they ask about, of which
place, for which year and period, planned or achieved; and turn a follow-up
("那2026年呢？") into a standalone question without an LLM.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import QuestionError
from .facets import YEAR_EN, years_in
from .facts import AVERAGE, FULL_YEAR, MULTI_YEAR, PERIODS
from .forms import classify
from .glossary import expand
from .indicator import MEASURE, measure
from .normalize import normalize_text
from .simplify import to_simplified
from .places import EN_NAMED_FACILITY, EXONYM, NATION, ZONE_AFTER, PlaceBook, is_place_word, pinyin_key

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_NEGATED = re.compile(r"(?:(?<=[（(，,、？?。])|[，,]\s*(?=而不是|而非|并非))\s*(?:也|又|更)?(?:不是|不要|不含|不包括|而不是|并非|而非|非|not\b|excluding\b)"
                      r"[^，,。？?）)]*|[（(]\s*[）)]", re.I)
_EN_AREA_NAME = re.compile(r"\b(?:[A-Z][a-z]+\s+){1,3}(?:New Area|New District|District|Development Zone|Zone|County)\b")
_PLAN_Q = re.compile(r"计划|目标|预期(?!寿命)|力争|打算|将要|将|拟|plan|target|goal|expect|aim|will|intend")
_RESULT_Q = re.compile(r"实际|完成了|达到了|实现了|去年|上年|一年来|回顾|actual|achiev|did\b|was\b|were\b|reached|last year")
_FILLER = re.compile(
    r"那么?|那|呢|吗|吧|啊|呀|的|是|多少|怎么样|如何|情况|同样|又|还有|和|与|以及|"
    r"what about|how about|and|in|for|the|then|what|about|of|\?|？|。|，|,|\s"
)
_EN_PERIODS = (
    (re.compile(r"first (?:three|3) quarters|first nine months|january.{1,5}september|end of september", re.I), "前三季度"),
    (re.compile(r"first (?:eleven|11) months|january.{1,5}november|end of november", re.I), "前11个月"),
    (re.compile(r"first (?:ten|10) months|january.{1,5}october|end of october", re.I), "前10个月"),
    (re.compile(r"first half|first six months", re.I), "上半年"),
    (re.compile(r"first quarter", re.I), "一季度"),
    (re.compile(r"second quarter", re.I), "二季度"),
    (re.compile(r"third quarter", re.I), "三季度"),
    (re.compile(r"fourth quarter|final quarter|last quarter", re.I), "四季度"),
    (re.compile(r"(?:(?:past|last|previous|first) |over (?:the )?)(?:two|three|four|five|ten|\d{1,2}) years|five-year total|"
                r"(?:since|from) the (?:start|beginning) of the \d+th five-year plan|(?:average annual|annual average) (?:growth|increase|rate)|"
                r"(?:a|per) year on average|on average (?:each|per|a) year", re.I), MULTI_YEAR),
)
_NEW = re.compile(r"新增|(?:新|增)?添(?!加剂)|新盖|净增|净多|净增加|新建|新获批|新获|新找|新就业|新冒|新办|新成立|新登记|新开工|新引进|新培育|新认定|新开|新招|新落地|新签约|新注册|新设|新铺|新修|新装|新种|新栽|新改建|多(?:增加|增|出|腾出|建|弄出|给出|开)(?!少)|\bnew(?:ly)?\b(?! (?:area|district|zone))|\badd(?:ed)?\b", re.I)
_TOTAL = re.compile(r"总数|总量|共有|一共|总共|累计|合计|总计|\btotal\b|in all|altogether|overall|cumulative|"
                    r"\b(?:have|has|had)\b(?! to)", re.I)
_AS_OF = re.compile(r"截至|截止")  # "截至2023年…达到多少家": a stock
_CHANGE_Q = re.compile(r"增加|增长|提高|下降|减少|[比较](?!重|例)")  # "截至2023年…比设立前增加了多少": a change, not a stock
_EN_BUILT = re.compile(r"\b(?:build|built|construct(?:ed)?|open(?:ed)?|launch(?:ed)?|set up)\b", re.I)
_RELATIVE = {"今年": 0, "本年": 0, "明年": 1, "去年": -1, "上年": -1, "前年": -2, "this year": 0, "last year": -1,
             "next year": 1}
_ZH_ASKING = re.compile(
    r"(?:截至|截止到?|到)?(?:19|20)\d\d\s*年?(?:末|底|初)?|今年|去年|明年|上年|本年|全年|年末|年底|"
    r"(?:是|有|为|达到|达)?多少(?:万|亿)?(?:户|座|处|条|名|位|张|台|件|种|批|列|艘|架|栋|间|公里|亩|标箱)(?=[？?。！!，,]|$)|"
    r"是多少|有多少|为多少|达到多少|达多少|多少|几|哪些|哪个|什么|怎样|如何|有没有|是否|有多大|有多高|大概|(?<![签合预节制公条契履])约|一共|总共|"
    r"实际完成了?|实际|完成了?|达到了?|实现了?|预期|计划(?!总?投资)|目标|力争|打算|预计|要|将|拟|"
    r"(?:亿|万)?(?:元|人次|人|个|家|所|项|套|辆|吨)?[？?。！!，,]|的|是|为|有|呢|吗|据|根据|报告|政府工作报告|(?<=报告)中"
)
_SHARE_WITHIN = re.compile(r"^([\u4e00-\u9fff]{2,12}?)(?:里|中|当中|之中)(?:，)?([\u4e00-\u9fff]{2,10}?)所?占(?:了|的)?(?:多大|多少|几成)?的?(比重|比例|份额|占比)")
_CLARIFIED = re.compile(r"[（(]\s*(?:含|包括|包含|即|指)[^（()），,]*[）)]|(?:(?<=强度)|(?<=[率重比]))[（(]占[^（()）]*[）)]")  # "汽车总产量（含燃油车和新能源车）": a gloss, not a qualifier
_AMOUNT = r"(?:\d+(?:\.\d+)?|[一两二三四五六七八九十百千])+(?:万|亿)元"
_SIZE_CLASS = re.compile(rf"(?:总?投资额?|规模)(?=(?:超过|过|超|逾|在)?{_AMOUNT})")  # its measure word, not its amount
_EN_ASKING = re.compile(
    r"\b(?:what|which|how|many|much|was|were|is|are|the|did|does|do|will|would|of|in|to|by|for|a|an|its|their|"
    r"planned|plan|plans|target|targets|targeted|expected|expect|aim|aims|goal|set|figure|value|amount|number|"
    r"report|according|during|about|there|be|been|has|have|had|that|this|year|years|compared|with|from|it|"
    r"account|accounts|accounted|"
    r"yuan|rmb|billion|million|trillion|thousand|percent|per cent)\b|\b(?:19|20)\d\d\b|'s\b|[?.,!]", re.I)


@dataclass(frozen=True)
class Query:
    """A question as retrieval and answering see it."""

    raw: str
    text: str
    years: tuple[int, ...] = ()
    places: tuple[str, ...] = ()  # places the question names (most specific first)
    kind: str = ""  # plan | result | ''
    period: str = ""  # '' (a whole year) or 前三季度, 上半年, 多年 …
    aspect: str = ""  # new | total | ''
    metric: str = ""  # what it measures, without place, year and question words
    english: bool = False
    expansions: tuple[str, ...] = field(default=())
    truncated: bool = False
    relative_year: int | None = None  # 今年 → 0, 去年 → -1 (resolved against the library)
    form: str = "single"  # single | multi | compare | list | describe (``forms``)
    parts: tuple[str, ...] = ()  # multi / compare: the single-figure questions it joins
    operation: str = ""  # compare: difference | ratio | growth

    @property
    def region(self) -> str:
        return self.places[0] if self.places else ""

    @property
    def search_text(self) -> str:
        """The question plus the report's words for its terms."""
        return " ".join((self.text, *self.expansions))


def clean_question(question: str, max_chars: int) -> tuple[str, bool]:
    """Normalise; cut an over-long question to ``max_chars`` (and say so)."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = normalize_text(to_simplified(question.replace("\x00", " ").replace("\n", " ")))  # 預算收入 → 预算收入
    if not text or not re.search(r"[\w\u4e00-\u9fff]", text):
        raise QuestionError("问题是空的 (empty question): 请询问报告中的某个数字，例如 2023年全市生产总值达到多少亿元？")
    truncated = len(text) > max_chars
    return text[:max_chars], truncated


def question_period(text: str) -> str:
    """The period a question asks about ('' for a whole year): "一季度集中开工项目年度预计完成
    投资" asks a full-year figure of the projects started in the first quarter."""
    if AVERAGE.search(text):
        return MULTI_YEAR
    for pattern, name in PERIODS + _EN_PERIODS:
        m = pattern.search(text)
        if m:
            return "" if FULL_YEAR.search(text, m.end()) else name
    return ""


def question_metric(text: str, english: bool, book: PlaceBook | None) -> str:
    """"2025年某市生产总值的预期增长目标是多少？" → "生产总值增长" (from its first question
    when it asks several or goes on: "…是多少？请详细说明。")."""
    first = re.split(r"[？?]", text)[0] + ("" if english else "？")  # "…多少家？" loses 家 with its mark
    among = re.search(r"(?:里|中|当中|之中)[，,]", first)
    asked = re.split(r"有|是|为|达到|多少|几", first[among.end():])[0] if among else ""
    if among and len(_CJK.findall(asked)) >= 2:
        first = first[among.end():]  # "新增的学位里，高中学位有多少个？": the part asked about
    part = _PART_ASKED.search(first) if not among and not _SHARE_WORDS.search(first) else None
    whole = measure(first[: part.start()]) if part else ""
    if whole and first[: part.start()].endswith(whole):  # "财政收入里来自税收的有多少？": 税收收入 (not "村里新开了多少")
        first = part.group(1) + ("" if measure(part.group(1)) else whole)
    else:
        part = None
    rest = first if len(_CJK.findall(first)) >= 4 or part or (english and len(first.split()) >= 3) else text
    if book is not None and not english:
        for place, start, end in sorted(book.gaz.mentions(rest), key=lambda m: -m[1]):
            rest = rest[:start] + " " + rest[end:]
    if english:
        rest = EXONYM.sub(" ", _EN_AREA_NAME.sub(" ", rest))  # "West Coast New Area", "Inner Mongolia"
        rest = re.sub(r"(?<!-)\b([A-Z][a-z]+)(?:\s+(?:Province|City|County|Municipality))?\b(?!-)",
                      lambda m: " " if m.start() and is_place_word(m.group(1)) else m.group(0), rest)
        rest = _EN_ASKING.sub(" ", rest.replace("-", " "))
        rest = re.sub(r"\b(?:china|chinese|national|nationwide|country|new area|district|province|city|"
                      r"(?:municipal|provincial)(?= government))\b",
                      " ", rest, flags=re.I)
        return " ".join(rest.lower().split())
    for pattern, _ in PERIODS:
        rest = pattern.sub(" ", rest)
    rest = _SIZE_CLASS.sub("", rest)  # "投资额超过一亿元的产业项目": a size class of what is counted, not 投资
    rest = re.sub(r"了?(多少|几)(?:万|亿)?[个家所项条处名位座套台辆户列艘架栋间张批种件](?=[\u4e00-\u9fff]{2})", r"\1", rest)  # "新注册了多少家企业"
    rest = re.sub(r"\d+(?:\.\d+)?(?:万|亿)?(?:个|家|所|项|条|处|人|%)?", " ", _ZH_ASKING.sub(" ", rest))
    rest = re.sub(r"全市|本市|全区|本区|全省|本省|全国|全县|全州|全盟|全旗|我市|我区|我省|我州|新区", " ", rest)
    # "财政收入里税收所占的比重": 税收's share of 财政收入
    return _SHARE_WITHIN.sub(r"\2占\1\3", "".join(rest.split()).strip("，、；："))


def parse(question: str, max_chars: int = 500, book: PlaceBook | None = None,
          similar=None) -> Query:  # noqa: ANN001
    """Read a standalone question's facets (``book``: the library's places)."""
    text, truncated = clean_question(question, max_chars)
    text = _NEGATED.sub("", _NEGATED.sub("", _CLARIFIED.sub("", text))).strip() or text  # what the question says it is not asking
    english = not _CJK.search(text) and bool(_LATIN_WORD.search(text))
    source = _SOURCE.search(text)  # "According to Yunnan's 2025 government work report, …": the report's year
    asked = text[: source.start()] + " " + text[source.end():] if source else text
    years = years_in(asked) if not english else tuple(sorted({int(y) for y in YEAR_EN.findall(asked)}))
    low = text.lower()
    kind = ""
    sense = re.sub(r"计划(?=总?投资)|planned (?:total )?investment|five-year plan", "", _COMPARED.sub("", low))  # "比上年提高" is a comparison, not a result
    if _PLAN_Q.search(sense):
        kind = "plan"
    elif _RESULT_Q.search(sense):
        kind = "result"
    stated = years_in(source.group(0)) or tuple(int(y) for y in YEAR_EN.findall(source.group(0))) if source else ()
    if stated and not years:  # a report of a year holds that year's plan and the year before's results
        years = stated if kind == "plan" else (stated[0] - 1, stated[0]) if kind == "" else (stated[0] - 1,)
    relative = next((v for k, v in _RELATIVE.items() if k in low), None) if not years else None
    aspect = "new" if _NEW.search(text) else "total" if _TOTAL.search(text) or _AS_OF.search(text) and not _CHANGE_Q.search(text) else \
        "new" if english and _EN_BUILT.search(text) else ""
    book = book or PlaceBook([])
    names = () if english else tuple(text[a:b] for _, a, b in sorted(book.gaz.mentions(text), key=lambda m: m[1]))
    form = classify(text, tuple(dict.fromkeys(names)))
    return Query(
        raw=question,
        text=text,
        years=years,
        places=_subject_places(text, english, book, similar),
        kind=kind,
        period=question_period(text),
        aspect=aspect,
        metric=question_metric(asked, english, book),
        english=english,
        expansions=tuple(expand(text)),
        truncated=truncated,
        relative_year=relative,
        form=form.name,
        parts=form.parts,
        operation=form.operation,
    )


# "财政收入里来自税收的有多少？": a part of a whole asked (a share when 占/比重 is asked)
_PART_ASKED = re.compile(r"(?:(?<![公千英海])里(?![程数])|当中|之中|中(?=来自|属于))(?:来自|属于)?([\u4e00-\u9fff]{2,8}?)(?:的?部分)?的?(?:有|是|为)?(?:多少|几)")
_SHARE_WORDS = re.compile(r"占|比重|比例|份额|几成")
_SOURCE = re.compile(r"^(?:据|根据|按照|按)\s*([^，,？?]{2,24}?)(?:的)?(?:政府)?工作报告(?:中|里)?[，,]?|"
                     r"[（(](?:据|根据|按照|按|来自|出自)\s*([^（）()，,？?]{2,30}?)(?:的)?(?:政府)?(?:工作)?报告[^（）()]{0,6}[）)]|"
                     r"^([^，,？?]{2,24}?)(?:的)?(?:政府)?(?:工作)?报告(?:(?:中|里)(?:(?:提到|提出|指出|显示|明确|说)的?)?|(?:提到|提出|指出|显示|明确|说)的?)[，,]?|"
                     r"\b(?:according to|in) (?:the )?([A-Z][\w ]{1,40}?)(?:'s)? (?:(?:19|20)\d\d )?(?:government )?(?:work )?(?:report|article),?", re.I)


def _subject_places(text: str, english: bool, book: PlaceBook, similar=None) -> tuple[str, ...]:  # noqa: ANN001
    """The places a question asks about; "据顺德区政府工作报告，南海区…" names its source too,
    which is not what it asks about when it names another place."""
    source = _SOURCE.search(text)
    if source:
        rest = text[: source.start()] + " " + text[source.end():]
        rest = EN_NAMED_FACILITY.sub(" ", rest) if english else rest  # "Zunyi Maotai Airport" asks about no Zunyi
        rest = tuple(book.named(rest, english, similar))
        if rest:
            return rest
    return tuple(book.named(text, english, similar))


def _topic(text: str, book: PlaceBook | None = None) -> str:
    """What is left of a question once facets, filler, asking and action words are taken out
    ("那2030年计划建多少座？" and "增速呢？" leave nothing: they ask about the previous metric)."""
    rest = re.sub(r"(?:19|20)\d\d\s*年?|[比较与](?:上一?年|去年)末?(?:相比)?|同比", "", text.lower())
    for _, start, end in sorted((book or PlaceBook([])).gaz.mentions(rest), key=lambda m: -m[1]):
        rest = rest[:start] + rest[end:]
    rest = re.sub(r"(?:多少|几)(?:万|千|百|亿)?(?:平方公里|公里|平方米|千瓦|吨|亩|户|人次|人|元|张|辆|台)", "", rest)  # "多少公里": a unit
    rest = re.sub(r"全市|全区|新区|全省|全国|计划|目标|预期|力争|争取|确保|预计|打算|实际|完成|新建|新增|建设|建成|建|能|要|将|同比|"
                  r"增长|增速|增幅|增加|下降|提高|总数|总量|累计|达到|多少|几|[个所家项座条套]", "", rest)
    return _FILLER.sub("", rest)


# what a follow-up may ask of the previous question's things ("总投资是多少？")
_ATTRIBUTE_ONLY = re.compile(r"(?:总|计划|年度)?(?:投资|投资额|面积|规模|产值|金额|里程|长度|容量|产量|营业收入|收入)")
# "累计一共形成了多少项？": how much of the previous question's thing, no thing of its own
_ASPECT_ONLY_Q = re.compile(r"累计|一共|总共|共计|合计|总数|总量|形成|达到|实现|完成|了|共")
_COMPARED = re.compile(r"[比较](?:上年|去年|上一年)|同比")
_REFERRING = re.compile(r"^(?:那|那么|而|其中|同期|它|这|该)|呢[？?]?$|^(?:and|what about|how about)\b", re.I)


def is_followup(question: str, book: PlaceBook | None = None) -> bool:
    """A question that names no metric of its own ("那2026年呢？", "新区呢？")."""
    topic = _topic(normalize_text(question), book)
    return len(_CJK.findall(topic)) < 2 and len(_LATIN_WORD.findall(topic)) < 2


def leans_on_history(question: str, book: PlaceBook | None = None) -> bool:
    """A short question that refers back ("那2026年计划建几所？", "增速呢？")."""
    text = normalize_text(question)
    if is_followup(text, book) or _REFERRING.search(text):
        return True
    book = book or PlaceBook([])
    names_context = bool(years_in(text) or YEAR_EN.search(text) or book.named(text))
    return not names_context and _CJK.search(text) is not None and len(_CJK.findall(_topic(text, book))) <= 5


def _place_span(text: str, book: PlaceBook, named: bool = False) -> tuple[int, int] | None:
    """Where a question names its place, with a zone named right after it ("南沙自贸片区");
    ``named``: not a self-word (全区, 全市), which only repeats the place of the question before."""
    mentions = book.gaz.mentions(text)
    if mentions:
        start, end = mentions[0][1], mentions[0][2]
        zone = ZONE_AFTER.match(text, end)
        return start, zone.end() if zone else end
    m = re.search(r"新区|全国" if named else r"全市|全区|新区|全省|全国", text)
    return (m.start(), m.end()) if m else None


def rewrite_followup(question: str, history: list[str], book: PlaceBook | None = None) -> str:
    """Carry the previous question's metric over, with this question's year/place/sense."""
    book = book or PlaceBook([])
    if not history or not leans_on_history(question, book):
        return question
    previous = rewrite_followup(history[-1], history[:-1], book)
    new = normalize_text(question)
    result = normalize_text(previous)
    own = _topic(new, book)
    new_years = years_in(new) or tuple(int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", new))
    if new_years:
        if re.search(r"(?:19|20)\d\d(?=\s*年)", result):
            result = re.sub(r"(?:19|20)\d\d(?=\s*年)", str(new_years[0]), result)
        elif re.search(r"\b(?:19|20)\d\d\b", result):
            result = re.sub(r"\b(?:19|20)\d\d\b", str(new_years[0]), result)
        else:
            result = f"{new_years[0]}年{result}"
    new_place = _place_span(new, book, named=True)
    if new_place:
        word = new[new_place[0] : new_place[1]]
        old = _place_span(result, book)
        if old and result[old[0] : old[1]] != word:
            result = result[: old[0]] + word + result[old[1] :]
        elif not old:
            result = f"{word}{result}"
    if re.search(r"增长|增速|增幅|同比|增加", new) and not re.search(r"增长|增速|增幅|增加", result):
        ask = "增加了多少？" if "增加" in new else "增长多少？"  # "比上年末增加了多少？": an amount, not a rate
        counted = re.search(r"(?:多少|几)[个家所项列条处座辆套名位批]?([\u4e00-\u9fff]{2,12})[？?]?$", result)
        if counted:  # "开行了多少列中欧班列？" → "开行了中欧班列增长多少？"
            result = result[: counted.start()] + counted.group(1) + ask
        else:
            result = re.sub(r"(?:规模|总量)?(?:是|为|达到|有)?(?:多少|几|多大|多高|怎么样|如何)\S*$", ask, result)
    if re.search(r"总数|总量|累计|一共", new) and _NEW.search(result) and not _TOTAL.search(result):
        # "那总数达到了多少家？" after "…新增…企业多少家？": the total of the same noun
        result = re.sub(r"(?:多少|几)", "总数多少", re.sub(rf"(?:{_NEW.pattern})了?", "", result, flags=re.I), count=1)
    swapped = _swap_modifier(new, result)
    if swapped:
        return swapped
    for floor, reach in ((r"确保", "力争"), (r"力争|争取", "确保")):  # "力争达到多少？" after "…确保完成多少？"
        if re.search(reach, new) and re.search(floor, result) and not re.search(reach, result):
            return re.sub(floor, reach, result, count=1)
    if _PLAN_Q.search(new) and not _PLAN_Q.search(result):
        result = f"{result}（计划目标）"
    elif _RESULT_Q.search(_COMPARED.sub("", new)) and _PLAN_Q.search(result):
        # "2023年实际建了多少所？" after "2025年计划新建多少所…？": the result, without the plan's words
        result = re.sub(r"计划|预期|目标|力争|打算|将要|拟(?=[\u4e00-\u9fff])", "", result) + "（实际完成）"
    if not _CJK.search(new) and _english_own_metric(new):
        return _english_followup(new, previous, book)
    other_kind = _swap_kind(own, result, book)
    if other_kind:
        return other_kind
    if len(_CJK.findall(_ASPECT_ONLY_Q.sub("", own))) >= 2 and own not in question_metric(previous, False, book):
        # The follow-up names a metric of its own ("改造" after "…老旧小区改造？" is no metric of its own): the previous question's year and place,
        # its words, and the previous way of asking ("增长多少？").
        body = re.sub(r"^(?:那么?|而|其中|还有)", "", new)
        body = _resolve_reference(body, previous, book)
        body = re.sub(r"呢?[？?]?$", "", body)
        years = years_in(body) or years_in(result)
        body = re.sub(r"(?:19|20)\d\d\s*年?", "", body)
        prefix = "".join(f"{y}年" for y in years[:1])
        if not question_period(body) and question_period(previous):  # "截至11月底…" carries over
            prefix += next(m.group(0) for pattern, _ in PERIODS if (m := pattern.search(previous)))
        if not _place_span(body, book, named=True):
            old = _place_span(result, book)
            prefix += result[old[0] : old[1]] if old else ""
        tail = re.search(r"(?:(?:预期|计划|目标|实际)?(?:增长|增速|下降|提高|增加)?了?(?:目标)?(?:是|为|达到|有)?(?:多少|几)\S*)$", result)
        if _ATTRIBUTE_ONLY.fullmatch(own):  # "总投资是多少？" after "…落地项目多少个？": the same things' total
            body = question_metric(previous, False, book) + body
        if not re.search(r"多少|几", body):  # the previous way of asking, without what it counted ("多少家")
            measure = MEASURE.findall(question_metric(previous, False, book))
            if measure and re.search(r"(?:产业|经济|行业|工业|农业|服务业|制造业)$", body):  # "“四新”经济呢？" after "…“十强”产业增加值增长了多少？"
                body += measure[-1]
            body += re.sub(r"(多少|几)[^？?]*", r"\1", tail.group(0)) if tail else "是多少？"
        result = prefix + body
    return result


_EN_YEAR_REF = re.compile(r"\b(?:that|the same|this|same) year\b", re.I)
_EN_PLACE_REF = re.compile(r"\b(?:the|this|that) (?:city|province|district|county|area|new area|country)\b|\bthere\b", re.I)
_EN_REFERRING = re.compile(f"{_EN_YEAR_REF.pattern}|{_EN_PLACE_REF.pattern}", re.I)
_EN_GENERIC = {"growth", "grow", "grew", "rate", "rates", "target", "targets", "goal", "plan", "planned", "total", "new",
               "increase", "its", "their", "that", "this", "same", "year", "city", "province", "district", "county",
               "area", "country", "and", "what", "about", "how", "many", "much", "the", "for", "was", "were", "did", "is",
               "are", "in", "of", "then", "there", "also", "actual", "actually", "expected", "figure", "number"}


def _english_own_metric(question: str) -> bool:
    """An English follow-up that names a metric of its own ("And how many start-ups did the city back?")."""
    words = [w.lower() for w in _LATIN_WORD.findall(_EN_REFERRING.sub(" ", question))]
    return sum(w not in _EN_GENERIC and not YEAR_EN.fullmatch(w) for w in words) >= 2


def _english_followup(new: str, previous: str, book: PlaceBook) -> str:
    """The English follow-up as asked, with the previous question's year and place where it
    leaves them out or points back to them ("that year", "the city")."""
    english = not _CJK.search(previous)
    years = tuple(int(y) for y in YEAR_EN.findall(new)) or years_in(previous) or \
        tuple(int(y) for y in YEAR_EN.findall(previous))
    places = book.named(new, True) or book.named(previous, english)
    text = re.sub(r"^(?:and|so|also|then)\b[\s,]*", "", new.strip(), flags=re.I)
    text = _EN_YEAR_REF.sub(f"in {years[0]}" if years else "", text)
    place = places[0] if places else ""
    place = "China" if place == NATION else pinyin_key(place).capitalize() if place else ""
    if place and not book.named(new, True):
        text, n = _EN_PLACE_REF.subn(place, text, count=1)
        if not n:
            text = re.sub(r"\s*\?$", f" ({place})?", text)
    if years and not YEAR_EN.search(text):
        text = re.sub(r"\s*\?$", f" in {years[0]}?", text)
    return text[:1].upper() + text[1:]


def _swap_modifier(new: str, previous: str) -> str:
    """"过20亿元的呢？" after "…签约多少个过亿元项目？" → "…签约多少个过20亿元项目？":
    a follow-up that only gives another modifier with a figure replaces the one of the same shape."""
    m = re.match(r"^(?:那么?|而)?([^？?]*\d[^？?]*?)的?呢?[？?]?$", new)
    if not m or len(m.group(1)) > 12:
        return ""
    modifier = m.group(1)
    shape = re.sub(r"(?:\\\.|\d)+", r"[\\d.]*", re.escape(modifier))
    found = re.search(shape, previous)
    if not found or found.group(0) == modifier:
        return ""
    return previous[: found.start()] + modifier + previous[found.end():]


def _swap_kind(own: str, previous: str, book: PlaceBook) -> str:
    """"农村居民呢？" after "…城镇常住居民人均可支配收入是多少？" → "…农村居民人均可支配收入
    是多少？": a follow-up naming another kind of the same thing (the same last word, another
    modifier) puts it in the place of the previous question's."""
    own = re.sub(r"^(?:其中|那么?|而)", "", own)
    if not 3 <= len(own) <= 8 or not _CJK.fullmatch(own[-1]):
        return ""
    span = _place_span(previous, book)
    year = re.search(r"(?:19|20)\d\d\s*年", previous)
    start = max(span[1] if span else 0, year.end() if year else 0)
    for size in (3, 2):
        at = previous.find(own[-size:], start)
        lead = previous[start:at]
        if at > start and len(lead) <= 6 and _CJK.fullmatch(lead[0]) and own not in previous \
                and not _NEW.search(lead) and not _TOTAL.search(lead) and not re.search(r"[的和与及、，]", lead):
            return previous[:start] + own + previous[at + size:]
    return ""


def _resolve_reference(body: str, previous: str, book: PlaceBook) -> str:
    """"这些学校能提供多少学位？" after "…新建多少所中小学校？" → "中小学校能提供多少学位？"."""
    it = re.match(r"(?:它|其)(?=[\u4e00-\u9fff])", body)
    if it:  # "它占全国的多少？": the previous question's place and metric
        span = _place_span(previous, book)
        place = previous[span[0] : span[1]] if span else ""
        return place + question_metric(previous, False, book) + body[it.end():]
    m = re.search(r"(?:这些|这个|该|这一|此|上述)([\u4e00-\u9fff]{1,4}?)(?=的|总|[\u4e00-\u9fff]{2}|$)", body)
    if not m:
        return body
    said = question_metric(previous, False, book)
    noun = m.group(1)
    at = said.rfind(noun)
    if at < 0:
        return body
    phrase = said[max(0, at - 4): at + len(noun)]  # the noun with up to four characters of what it was
    return body[: m.start()] + phrase + body[m.end():]
