"""What shape of answer a question asks for, and the single-figure questions it is made of.

- ``single``: one figure ("2023年全市生产总值是多少？");
- ``multi``: several figures at once ("2024年和2025年的增长目标分别是多少？",
  "一般公共预算收入和进出口总额各是多少？");
- ``compare``: a figure computed from two stated ones ("实际增长比目标高多少？",
  "2025年的目标比2024年高多少？", "A是B的几倍？");
- ``list``: the figures of a passage ("主要预期目标有哪些？");
- ``describe``: words, not a figure ("什么是城市更新三年攻坚行动？").

A multi or compare question is split into plain single-figure questions (``parts``), each
parsed and answered like any other, so every figure is judged by the same test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .tokenize import words

FORMS = ("single", "multi", "compare", "list", "describe")

_YEAR = r"(?:19|20)\d\d"
_NUMERIC_ASK = re.compile(r"多少|几[个家所项倍成]|几|百分点|百分之|how (?:many|much)|\brank(?:ed|s)?\b|what (?:was|is|were|are) the (?:value|figure|number)|"
                          r"\bgrowth (?:rate|target)\b|percentage", re.I)
_RESPECTIVE = re.compile(r"分别|各(?:是|为|有|达到?|完成|增长|多少|自|计划)|\brespectively\b|\beach\b", re.I)
_LIST = re.compile(r"(?:哪些|什么)[^，,。？?]{0,8}(?:指标|目标|数据|数字|成绩|成果|成效|任务|项目|亮点)|"
                   r"(?:目标|指标)(?:是什么|有什么)|"
                   r"(?:有|包括|包含)(?:哪些|什么)[？?]?$|列出|列举|"
                   r"\bwhat (?:are|were) [^?]{0,40}?\b(?:targets|goals|indicators|achievements|figures)\b|"
                   r"(?:^|\bplease |\bcan you |\bcould you )list\b", re.I)  # "list" the verb, not "WIPO's list of …"
_DESCRIBE = re.compile(r"什么是|是什么|指什么|是指|怎样|怎么|如何|主要内容|具体内容|什么内容|哪些内容|哪些事|做什么|干什么|哪些|"
                       r"介绍|举措|措施|做法|\bwhat does\b|\bwhat (?:did|do|will) .+ do\b|\bhow (?:does|did|will|is) .+ "
                       r"(?:plan|work|promote|build|advance)|\bdescribe\b|\bexplain\b|\binvolve|\bwhat (?:measures|steps|actions)\b|"
                       r"\bwhat is meant\b", re.I)
# comparison: "比…高/多/快…多少", "相差多少", "是…的几倍", "difference between"
_THAN = re.compile(r"(?<![可占])比(?![重例率比])|较|相比|相较|\bthan\b|\bcompared (?:with|to)\b", re.I)
_GAP_WORD = re.compile(r"(?:高|低|多|少|快|慢|增加|减少|提高|下降|超出|超过|高出|多出|差|增长)(?:了|出)?(?:多少|几|百分之)|相差|差距|"
                       r"差多少|差了?多少|高还是低|多还是少|几倍|多少倍|"
                       r"\bhow much (?:higher|lower|more|less|faster|slower|bigger|larger|smaller)\b|"
                       r"\bdifference\b|\bhow many times\b|\bexceed", re.I)
_RATIO = re.compile(r"几倍|多少倍|\bhow many times\b|\btimes\b", re.I)
_GROWTH_BETWEEN = re.compile(r"(?:增长|增加|超出|超过|高出|多出)了?(?:百分之(?:几|多少)|多少%|几成|多少个?百分比)|增幅是?多少|"
                             r"\bby what percent(?:age)?\b|\bpercent(?:age)? (?:growth|increase)\b", re.I)
_PLAN_WORDS = re.compile(r"目标|计划|预期|定的|既定|原定|年初")
_RESULT_WORDS = re.compile(r"实际|已经?(?=达到|完成)")
_LAST_YEAR_SIDE = re.compile(r"^(?:上年|去年|上一年|同期|前一年)|^(?:the )?(?:previous|last|prior) year", re.I)
_JOIN = r"(?:和|与|及|、|以及|同|跟|,|，|\band\b|&)"
_TWO_YEARS = re.compile(rf"({_YEAR})\s*年?\s*{_JOIN}\s*({_YEAR})\s*年?")
_RIGHT_FILLER = re.compile(r"目标|计划|预期|定的|既定|原定|年初|当年|同年|实际|已经?|完成|达到|实现|的|数量|人数|数|规模|水平|情况|增速|增幅|增长率|速度")
_ASK_WORD = re.compile(r"多少|几(?=[个所家项条座套万亿])")
_GENERIC_PLACE = re.compile(r"全市|全区|全省|全国|本市|我市")
_ASK_TAIL = re.compile(r"(?:的)?(?:分别|各)?(?:是|为|有|达到?|完成了?|实现了?)?(?:多少|几)[^？?]*[？?]?$|"
                       r"(?:分别|各)(?:是|为|有|达到?|完成|增长)?[^？?]*[？?]?$|[？?]$")


@dataclass(frozen=True)
class Form:
    """A question's form and, for multi and compare, the single-figure questions it joins."""

    name: str
    parts: tuple[str, ...] = ()
    operation: str = ""  # compare: difference | ratio | growth


def _asks_number(text: str) -> bool:
    return bool(_NUMERIC_ASK.search(text))


def classify(text: str, names: tuple[str, ...] = ()) -> Form:
    """The form of a normalised, standalone question (``names``: the words it uses for
    places, in order, to split on)."""
    asks = [a for a in re.split(r"(?<=[？?])", text) if a.strip()]
    if len(asks) >= 2 and all(_asks_number(a) for a in asks):
        head = _context_prefix(asks[0], names)
        parts: list[str] = []
        for n, a in enumerate(asks):
            a = re.sub(r"^(?:那么?|而|另外|还有|同时)", "", a.strip())
            if n and not re.search(_YEAR, a) and not any(x in a for x in names):
                a = head + a
            sub = classify(a.replace("又", ""), names)
            parts += sub.parts if sub.name == "multi" else [a]
        return Form("multi", tuple(parts[:6]))
    compare = _compare(text, names)
    if compare is not None:
        return compare
    multi = _multi(text, names)
    if multi is not None:
        return multi
    if _LIST.search(text) and not re.search(r"多少|几|how (?:many|much)", text, re.I):
        return Form("list")
    if _DESCRIBE.search(text) and not _asks_number(text):
        return Form("describe")
    return Form("single")


def _stem(text: str) -> str:
    """The question without its way of asking ("…分别是多少？" → "…")."""
    return _ASK_TAIL.sub("", text).rstrip("，,的 ")


def _unrespective(text: str) -> str:
    """Drop 分别 / 各 (as in 各是多少) from a part."""
    return re.sub(r"分别|各(?=是|为|有|达|完成|增长|多少|自|计划|新建|新增|要|将)|\s*\brespectively\b|\s*\beach\b", "", text, flags=re.I)


def _multi(text: str, names: tuple[str, ...]) -> Form | None:
    respective = bool(_RESPECTIVE.search(text))
    english = not re.search(r"[\u4e00-\u9fff]", text)
    years = list(dict.fromkeys(re.findall(_YEAR, text)))
    two_years = _TWO_YEARS.search(text)
    asks = list(_ASK_WORD.finditer(text))
    if len(asks) >= 2 and not english and len(years) >= 2:
        # "…：2022年建成多少所，2026年、2027年又各计划新建多少所？": each ask with its own years
        comma = re.search(r"[，；,;]", text[asks[0].end(): asks[1].start()])
        first_year = re.search(_YEAR, text)
        if comma and first_year and re.search(_YEAR, text[asks[0].end() + comma.end():]):
            cut = asks[0].end() + comma.start()
            second = _unrespective(text[cut + 1:].lstrip().replace("又", ""))
            noun = _borrowed_noun(text[asks[0].end(): cut], re.sub(rf"{_YEAR}\s*年?", "", second))
            if noun:
                second = re.sub(r"(多少|几)([个所家项条座套]?)", lambda m: m.group(0) + noun, second, count=1)
            pieces = (text[:cut] + "？", text[: first_year.start()] + second)
            parts = [x for piece in pieces for x in (_multi(piece, names) or Form("single", (piece,))).parts]
            return Form("multi", tuple(parts[:6]))
    if english and two_years:  # "targets for 2024 and 2025"
        return Form("multi", tuple(text[: two_years.start()] + y + text[two_years.end():]
                                   for y in (two_years.group(1), two_years.group(2))))
    if english and len(years) >= 2 and re.search(r"\band\b|\brespectively\b|\beach\b", text, re.I):
        first = re.split(r",?\s+and\s+(?:how|what|in|for)\b", text, maxsplit=1, flags=re.I)[0].rstrip(" ,?")
        return Form("multi", tuple(re.sub(years[0], y, first, count=1) + "?" for y in years[:4]))
    if two_years and (respective or _asks_number(text)):
        return Form("multi", tuple(_unrespective(text[: two_years.start()] + f"{y}年" + text[two_years.end():])
                                  for y in (two_years.group(1), two_years.group(2))))
    spots = sorted([(text.find(n), n) for n in names] + [(m.start(), m.group(0)) for m in _GENERIC_PLACE.finditer(text)])
    where = tuple(dict.fromkeys(n for _, n in spots))
    if len(where) >= 2 and (respective or re.search(rf"{re.escape(where[0])}\s*{_JOIN}\s*{re.escape(where[1])}", text)):
        parts = []
        for keep in where[:3]:
            sub = text
            for other in where:
                if other != keep:
                    sub = re.sub(rf"\s*{_JOIN}\s*{re.escape(other)}|{re.escape(other)}\s*{_JOIN}?\s*", "", sub, count=1)
            parts.append(_unrespective(sub))
        return Form("multi", tuple(parts))
    if len(asks) >= 2 and not english:  # "要新建多少个充电桩和多少所中小学？"
        joint = re.search(rf"\s*{_JOIN}\s*$", text[: asks[1].start()])
        if joint:
            first = text[: joint.start()]
            lead = first[: asks[0].start()]
            return Form("multi", (first + "？", lead + text[asks[1].start():]))
        comma = re.search(r"[，；,;]", text[asks[0].end(): asks[1].start()])
        if comma:  # "新增多少家小巨人企业，总数达到多少家？": the second clause is about the same noun
            cut = asks[0].end() + comma.start()
            first, second = text[:cut], text[cut + 1:].lstrip()
            own = re.split(r"多少|几", second, maxsplit=1)[0]
            if len(re.findall(r"[\u4e00-\u9fff]", own)) <= 4:
                second = _context_prefix(first, names) + _borrowed_noun(text[asks[0].end(): cut], second) + second
            return Form("multi", (first + "？", second))
    split = _RESPECTIVE.search(text)
    if split and not english:
        stem, tail = text[: split.start()].rstrip("，, 的"), _unrespective(text[split.start():])
        if not re.search(r"多少|几", tail):
            tail = "是多少？"
        pieces = [s.strip() for s in re.split(_JOIN, stem) if s.strip()]
        if len(pieces) >= 2:
            head = _context_prefix(pieces[0], names)
            parts = [pieces[0] + tail]
            for piece in pieces[1:4]:
                if len(piece) <= 3:  # "生产总值规模和增速": 增速 of the same subject
                    said = words(pieces[0])
                    parts.append("".join(said[:-1]) + piece + tail if len(said) > 1 else head + piece + tail)
                else:
                    parts.append(head + piece + tail)
            return Form("multi", tuple(parts))
    return None


def _borrowed_noun(after_first_ask: str, second: str) -> str:
    """The first ask's counted noun, for a second ask that names no metric of its own
    ("…总数达到多少家" borrows it; "新增多少个婴幼儿托位" has its own; '' when none is borrowed)."""
    own = re.split(r"多少|几", second, maxsplit=1)[0]
    if len(re.findall(r"[\u4e00-\u9fff]", own)) > 4 or _counted_noun(second):
        return ""
    return re.sub(r"^[个所家项条座套万亿元人]+", "", after_first_ask)


def _counted_noun(ask: str) -> str:
    """The noun an ask counts after its ask word ("新增多少个婴幼儿托位" → 婴幼儿托位; '' if none)."""
    after = re.split(r"多少|几", ask, maxsplit=1)
    if len(after) < 2:
        return ""
    noun = re.sub(r"^(?:万|亿)?[个所家项条座套元人户辆台处]?", "", after[1])
    noun = re.split(r"[，,。？?；;]", noun, maxsplit=1)[0]
    return noun if len(re.findall(r"[\u4e00-\u9fff]", noun)) >= 2 else ""


def _context_prefix(text: str, names: tuple[str, ...]) -> str:
    """The year and place words a question opens with ("2023年临川市一般…" → "2023年临川市")."""
    m = re.match(rf"^\s*(?:{_YEAR}\s*年\s*)?", text)
    head = m.group(0) if m else ""
    rest = text[len(head):]
    for name in sorted(names, key=len, reverse=True):
        if rest.startswith(name):
            head += name
            break
    else:
        generic = re.match(r"^(?:全市|全区|全省|全国|本市|我市)", rest)
        head += generic.group(0) if generic else ""
    return head


def _ask(stem: str) -> str:
    """A single-figure question from a stem ("2024年全市生产总值增长目标" → "…是多少？")."""
    stem = _stem(stem)
    if not re.search(r"[\u4e00-\u9fff]", stem):
        return stem.rstrip("?. ") + "?"
    return stem + "是多少？"


def _compare(text: str, names: tuple[str, ...]) -> Form | None:
    if not _GAP_WORD.search(text):
        return None
    operation = "ratio" if _RATIO.search(text) else "growth" if _GROWTH_BETWEEN.search(text) else "difference"
    if operation == "difference" and re.search(r"(?:增长|增加)了?多少(?![个家所项万亿元人])", text):
        operation = "growth"  # "总投资比2021年增长了多少": a growth rate (the difference is shown too)
    than = _THAN.search(text)
    if not re.search(r"[\u4e00-\u9fff]", text):
        return _compare_english(text, than, operation)
    if operation == "ratio" and not than:
        m = re.search(r"^(.*?)(?:是|为)(.+?)的(?:几|多少)倍", text)
        if not m:
            return None
        left, right = _stem(m.group(1)), m.group(2)
    elif than is None:
        two = _TWO_YEARS.search(text)
        if two and re.search(r"相差|差距|差多少|difference", text, re.I):
            return Form("compare", tuple(_ask(text[: two.start()] + f"{y}年" + text[two.end():])
                                         for y in (two.group(2), two.group(1))), operation)
        return None
    else:
        left, right = _stem(text[: than.start()]).strip("，, "), text[than.end():]
        gap = _GAP_WORD.search(right)
        right = right[: gap.start()] if gap else right
    right = re.sub(r"的$", "", right.strip("，, "))
    if not right or _LAST_YEAR_SIDE.search(right):
        return None  # "比上年增长多少": a growth the report states, not a comparison
    other = _other_side(left, right, names)
    if other is None:
        return None
    first = _with_sense(left, "result") if _PLAN_WORDS.search(right) and not _PLAN_WORDS.search(left) else left
    return Form("compare", (_ask(first), _ask(other)), operation)


def _with_sense(stem: str, sense: str) -> str:
    """The stem asking for the plan target or the actual result instead."""
    bare = _RESULT_WORDS.sub("", _PLAN_WORDS.sub("", stem)).replace("的的", "的").rstrip("的")
    if sense == "plan":
        return bare + "目标"
    pieces = words(bare)
    for n, word in enumerate(pieces):
        if word in ("完成", "增长", "增速", "达到", "新增", "新建", "建成"):
            return "".join(pieces[:n]) + "实际" + "".join(pieces[n:])
    return bare + "实际完成"


def _other_side(left: str, right: str, names: tuple[str, ...]) -> str | None:
    """The question for what the left side is compared with: the left stem with the right
    side's year, place and plan/result ("东湖新区", "2021年实际完成的", "当年计划"), or the
    right side itself when it names another metric."""
    other = left
    changed = False
    year = re.search(rf"({_YEAR})\s*年?", right)
    if year:
        other = re.sub(_YEAR, year.group(1), other, count=1) if re.search(_YEAR, other) else f"{year.group(1)}年{other}"
        changed = True
    place = next((n for n in sorted(names, key=len, reverse=True) if n in right), "")
    if not place and (generic := _GENERIC_PLACE.search(right)):
        place = generic.group(0)
    if place:
        mine = next((n for n in names if n in left and n != place and n not in place), "")
        if not mine and (generic := _GENERIC_PLACE.search(left)):
            mine = generic.group(0)
        other = other.replace(mine, place, 1) if mine else place + other
        changed = True
    rest = _RIGHT_FILLER.sub("", _GENERIC_PLACE.sub("", re.sub(rf"{_YEAR}\s*年?", "", right)))
    for name in names:
        rest = rest.replace(name, "")
    if len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2:  # "比年度计划投资": the other side names its own metric
        return _context_prefix(left, names) + right
    if _PLAN_WORDS.search(right):
        other, changed = _with_sense(other, "plan"), True
    elif _RESULT_WORDS.search(right):
        other, changed = _with_sense(other, "result"), True
    if changed:
        return other if other != left else None
    return _context_prefix(left, names) + right if len(right) >= 2 else None


_EN_GAP_LEAD = re.compile(r"^\s*(?:by )?how (?:much|many (?:percentage )?points?) (?:higher|lower|more|less|faster|slower|"
                          r"bigger|larger|smaller|greater)\s+(?:was|is|were|are|did|will|would)?\s*(?:the\s+)?", re.I)


def _compare_english(text: str, than: re.Match[str] | None, operation: str) -> Form | None:
    """"How much higher was actual GDP growth in 2023 than the target?" → its two questions."""
    if than is None:
        return None
    subject = _EN_GAP_LEAD.sub("", text[: than.start()]).strip(" ,")
    right = text[than.end():].strip(" ?.").removeprefix("the ").removeprefix("that of ").strip()
    if not subject or re.fullmatch(r"(?:the )?(?:previous|last|prior) year|a year (?:earlier|ago|before)", right, re.I):
        return None
    if re.match(r"(?:target|plan|goal|expected|planned)", right, re.I):
        plain = re.sub(r"\bactual(?:ly)?\s+", "", subject, flags=re.I)
        return Form("compare", (f"What was the actual {plain}?", f"What was the target for {plain}?"), operation)
    year = re.search(_YEAR, right)
    if year and re.search(r"\b(?:target|plan|goal)s?\b", right, re.I) and len(right.split()) <= 5:
        # "…in 2023 than its 2024 target": the same metric, that year's target
        plain = re.sub(r"\bactual(?:ly)?\s+", "", subject, flags=re.I)
        plain = re.sub(_YEAR, year.group(0), plain, count=1) if re.search(_YEAR, plain) else f"{plain} in {year.group(0)}"
        return Form("compare", (f"What was {subject}?", f"What was the target for {plain}?"), operation)
    year = re.fullmatch(rf"(?:in )?({_YEAR})", right)
    if year and re.search(_YEAR, subject):
        return Form("compare", (f"What was {subject}?", f"What was {re.sub(_YEAR, year.group(1), subject, count=1)}?"),
                    operation)
    return Form("compare", (f"What was {subject}?", f"What was {right}?"), operation)
