"""Comparisons computed in code from two stated figures, with the arithmetic written out:
a difference (two rates give 个百分点), a ratio (倍) or the growth from one value to another (%)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .numbers import SCALES, Quantity

_RATES = ("%", "个百分点")


@dataclass(frozen=True)
class Computed:
    """A computed result: its value and unit as written, and how it was computed."""

    value: Decimal  # signed
    unit: str  # 个百分点, 亿元, 倍, % …
    operation: str
    arithmetic: str  # "5.9% − 5.5% = 0.4个百分点"

    @property
    def written(self) -> str:
        return f"{_plain(abs(self.value))}{self.unit}"

    def phrase(self, english: bool = False) -> str:
        """The answer's first line ("高0.4个百分点", "0.4 percentage points higher")."""
        if self.operation == "ratio":
            return f"{self.written} (ratio)" if english else f"是{self.written}"
        if self.operation == "growth":
            word = ("up " if self.value >= 0 else "down ") if english else ("增长" if self.value >= 0 else "下降")
            return f"{word}{self.written}"
        rate = self.unit == "个百分点"
        if self.value == 0:
            return "the same (no difference)" if english else "两者相同，相差为0"
        if english:
            unit = "percentage points" if rate else self.unit
            return f"{_plain(abs(self.value))} {unit} {'higher' if self.value >= 0 else 'lower'}"
        word = ("高" if self.value >= 0 else "低") if rate else ("多" if self.value >= 0 else "少")
        return f"{word}{self.written}"


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def _decimals(q: Quantity) -> int:
    text = format(Decimal(str(q.value)).normalize(), "f")
    return len(text.split(".")[1]) if "." in text else 0


def _round(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def compute(a: Quantity, b: Quantity, operation: str = "difference") -> Computed | None:
    """``a`` against ``b`` (None when their units cannot be compared or ``b`` is zero)."""
    rates = a.unit in _RATES and b.unit in _RATES
    if not rates and a.unit != b.unit:
        return None
    x = Decimal(str(a.value)) * Decimal(str(SCALES.get(a.scale, 1)))
    y = Decimal(str(b.value)) * Decimal(str(SCALES.get(b.scale, 1)))
    shown = f"{a.figure} {{op}} {b.figure}"
    if operation == "ratio":
        if not y:
            return None
        value = _round(x / y, 2)
        return Computed(value, "倍", "ratio", f"{shown.format(op='÷')} = {_plain(value)}倍")
    if operation == "growth" and not rates:
        if not y:
            return None
        value = _round((x - y) / y * 100, 1)
        return Computed(value, "%", "growth", f"({a.figure} − {b.figure}) ÷ {b.figure} = {_plain(value)}%")
    places = max(_decimals(a), _decimals(b))
    if rates:
        value = _round(Decimal(str(a.value)) - Decimal(str(b.value)), places)
        unit = "个百分点"
    else:
        scale = Decimal(str(SCALES.get(a.scale, 1)))
        value = _round((x - y) / scale, places)
        unit = f"{a.scale}{a.unit}"
    return Computed(value, unit, "difference", f"{shown.format(op='−')} = {_plain(value)}{unit}")
