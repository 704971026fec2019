"""Numbers with units: find them, normalise 万/亿 scales, decide if two are the same.

Shared by the extractive answerer, the number check on generated answers and eval
scoring, so that "1.1万亿元" and "11000亿元" mean one thing everywhere.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .normalize import normalize_text
from .simplify import to_simplified

SCALES = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
# Units whose scale words may change (亿元 = 10000万元); counters are compared as written.
MEASURES = (
    "微克/立方米", "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "公里", "千米", "标准箱", "标箱", "人次",
    "亩", "吨", "元", "人", "米", "户", "美元", "千克", "公斤", "斤", "公顷", "千升",
    "EFLOPS", "PFLOPS", "P", "GWh", "GW", "MW",  # computing power (1万P), generating capacity
)
COUNTERS = (
    "个百分点", "个", "家", "所", "项", "条", "处", "台", "辆", "部", "列", "场", "件", "套", "座",
    "片", "批", "只", "张", "名", "位", "次", "倍", "类", "种", "款", "架", "艘", "间", "栋", "期",
    "届", "站", "宗", "株", "棵", "头", "口", "门", "对", "组", "轮", "级", "星", "颗", "枚", "枝",
    "架次", "岁",
)
TIME_UNITS = ("年", "月", "日", "天", "小时", "周")
DURATIONS = ("天", "小时")  # "优良天数达到253天" is a figure; "1月8日" is a date
QUALIFIERS_AFTER = ("以上", "左右", "以内", "以下", "多", "余", "上下")
QUALIFIERS_BEFORE = ("超过", "突破", "近", "约", "逾", "达", "不少于", "不低于", "超")

_UNIT_ALT = "|".join(re.escape(u) for u in sorted(MEASURES + COUNTERS + TIME_UNITS, key=len, reverse=True))
_SCALE_ALT = "|".join(sorted(SCALES, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\d.])(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*"
    rf"(?P<scale>{_SCALE_ALT})?"
    rf"(?P<after1>多|余)?"
    rf"(?P<unit>%|‰|{_UNIT_ALT})?"
    rf"(?P<after2>{'|'.join(QUALIFIERS_AFTER)})?"
)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_PLACES = {"十": 10, "百": 100, "千": 1000}
_CN_DIGIT = "".join(_CN_DIGITS)
_CN = _CN_DIGIT + "".join(_CN_PLACES)
# "增长百分之三十五点八", "提高一个百分点": rates written in Chinese numerals
_CN_RATE = re.compile(rf"百分之(?P<pct>[{_CN}]+(?:点[{_CN_DIGIT}]+)?)|(?<![{_CN}])(?P<pp>[{_CN}]+(?:点[{_CN_DIGIT}]+)?)个百分点")
# "突破一万亿元", "两千万人次": Chinese numerals with a scale word and a unit (without a scale
# word "一批", "两个" are words, not figures)
_CN_SCALED = re.compile(rf"(?<![{_CN}])(?P<num>[{_CN}]+)(?P<scale>万亿|亿|万)(?P<unit>{'|'.join(re.escape(u) for u in sorted(MEASURES, key=len, reverse=True))})")


def _cn_value(text: str) -> float | None:
    """三十五点八 → 35.8; None when it is not a numeral."""
    whole, _, frac = text.partition("点")
    total, digit = 0, None
    for ch in whole:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_PLACES:
            total += (1 if digit is None else digit) * _CN_PLACES[ch]
            digit = None
        else:
            return None
    total += digit or 0
    if frac:
        if any(ch not in _CN_DIGITS for ch in frac):
            return None
        return float(f"{total}.{''.join(str(_CN_DIGITS[ch]) for ch in frac)}")
    return float(total)


_TRADITIONAL_UNIT = re.compile("[億萬個項條處臺輛場張噸畝戶點]")
_JOINER = re.compile(r"\s*(?:和|、|至|到|-|—|~|或)\s*")


@dataclass(frozen=True)
class Quantity:
    """A number as written in a text, with its unit and its scaled value."""

    text: str
    value: float  # the number as written (1.1 in 1.1万亿元)
    scale: str  # 万, 亿, 万亿 or ''
    unit: str  # 元, %, 个 ... or '' (bare number)
    start: int
    end: int

    @property
    def base(self) -> float:
        """Value with the scale word applied (1.1万亿元 -> 1.1e12)."""
        return self.value * SCALES.get(self.scale, 1.0)

    @property
    def is_year(self) -> bool:
        return self.unit == "年" and not self.scale and 1900 <= self.value <= 2100 and self.value.is_integer()

    @property
    def is_date_part(self) -> bool:
        return self.unit in TIME_UNITS and self.unit not in DURATIONS and not self.scale

    @property
    def figure(self) -> str:
        """Number, scale and unit, without qualifiers (the form gold answers use)."""
        num = f"{self.value:f}".rstrip("0").rstrip(".") if not self.value.is_integer() else str(int(self.value))
        return f"{num}{self.scale}{self.unit}"


def find_quantities(text: str) -> list[Quantity]:
    """Every number in the text with the unit that follows it (in simplified or traditional
    characters: 36801.87億元 is 36801.87亿元)."""
    if _TRADITIONAL_UNIT.search(text):
        text = to_simplified(text)  # the same length, so offsets hold
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        unit = m.group("unit") or ""
        if m.start() > 0 and re.match(r"[A-Za-z]", text[m.start() - 1]) or re.match(r"[A-Za-z]", text[m.end(): m.end() + 1]):
            continue  # part of a name: PM2.5, 5G, 8K, 5A级
        found.append(Quantity(m.group(0), value, m.group("scale") or "", unit, m.start(), m.end()))
    for m in _CN_RATE.finditer(text):
        value = _cn_value(m.group("pct") or m.group("pp"))
        if value is not None:
            found.append(Quantity(m.group(0), value, "", "%" if m.group("pct") else "个百分点", m.start(), m.end()))
    for m in _CN_SCALED.finditer(text):
        value = _cn_value(m.group("num"))
        if value:
            found.append(Quantity(m.group(0), value, m.group("scale"), m.group("unit"), m.start(), m.end()))
    found.sort(key=lambda q: q.start)
    # "0.7和0.2个百分点", "12.5%、17.1%": a bare number shares the unit of the next one.
    for i in range(len(found) - 2, -1, -1):
        q, nxt = found[i], found[i + 1]
        if not q.unit and not q.scale and _JOINER.fullmatch(text[q.end : nxt.start]):
            found[i] = Quantity(q.text, q.value, nxt.scale, nxt.unit, q.start, q.end)
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in a short text such as a gold answer ("15760.3亿元")."""
    found = find_quantities(normalize_text(text))
    return found[0] if found else None


_SAME_UNIT = {"标准箱": "标箱", "千米": "公里"}


def compatible_units(a: Quantity, b: Quantity) -> bool:
    """% only with %; 亿元 with 元 (scales differ, unit the same); 个 never with 家."""
    return _SAME_UNIT.get(a.unit, a.unit) == _SAME_UNIT.get(b.unit, b.unit)


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Equal value after scales, with compatible units."""
    if not compatible_units(a, b):
        return False
    return math.isclose(a.base, b.base, rel_tol=1e-9, abs_tol=1e-9)


def same_number(a: Quantity, b: Quantity) -> bool:
    """Equal value after scales, ignoring the unit (for the number check on prose
    that says "15760.3亿" where the source says "15760.3亿元")."""
    return math.isclose(a.base, b.base, rel_tol=1e-9, abs_tol=1e-9) or math.isclose(a.value, b.value, rel_tol=1e-9)


def figures(text: str) -> list[Quantity]:
    """Quantities that are figures: not years, not parts of dates."""
    return [q for q in find_quantities(text) if not q.is_year and not q.is_date_part]
