"""Traditional Chinese -> simplified for indexing, character-aligned with the original;
and the pinyin that broken scrapes put after characters ("發(fā)展") removed.

Converter: the ``opencc`` package from PyPI (OpenCC's own Python binding, Apache-2.0).
It ships binary wheels (cp311 manylinux x86-64 here: nothing to compile) with the
dictionaries inside, so it needs no network.  It converts by phrase (``t2s``), which
gets one-to-many characters right from context (乾隆 stays, 乾淨 -> 干净, 頭髮 -> 头发).
The pure-Python ``opencc-purepy`` gave the same output on a 106,000-character
traditional report page but took 165 ms against opencc's 13 ms.

Alignment: ``original[i]`` and ``text[i]`` are the same place in the document.  Each
line is converted whole; t2s keeps lengths, but where a phrase mapping would not,
that line is converted one character at a time (and a character whose simplified
form is longer than one character is kept as it is).
"""
from __future__ import annotations

import functools
import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Share of Han characters that t2s changes, above which a text is taken as traditional.
# Simplified text changes ~0%; traditional report text 20-35%.
TRADITIONAL_SHARE = 0.05
_MIN_CHANGED = 3

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_LETTER = rf"[a-zA-Zü{_TONED}]"
# A pinyin syllable right after a CJK character, in ASCII or full-width brackets (發(fā)展,
# 億（yì）元) or bare (發fā展).  It must carry a tone mark, so (GDP), (a), (PM2.5) and
# （试行） are left alone.
_SYLLABLE = rf"(?={_LETTER}{{0,6}}[{_TONED}]){_LETTER}{{1,7}}"
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    rf"(?:[(（]{_SYLLABLE}[)）]|{_SYLLABLE}(?!{_LETTER}|[(（]))"
)


def strip_pinyin(text: str) -> str:
    """Remove bracketed pinyin syllables that follow CJK characters."""
    return _PINYIN.sub("", text)


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    return _converter().convert(text)


def _changed(text: str, sample: int = 20000) -> tuple[int, int]:
    """(Han characters that t2s changes, Han characters looked at)."""
    han = "".join(_HAN.findall(text[: sample * 3]))[:sample]
    if not han:
        return 0, 0
    converted = _t2s(han)
    if len(converted) != len(han):
        converted = "".join(_char_t2s(c) for c in han)
    return sum(a != b for a, b in zip(han, converted)), len(han)


def traditional_share(text: str) -> float:
    """Share of the Han characters that change under t2s (0.0 with no Han characters)."""
    changed, total = _changed(text)
    return changed / total if total else 0.0


def is_traditional(text: str) -> bool:
    changed, total = _changed(text)
    return changed >= _MIN_CHANGED and changed >= TRADITIONAL_SHARE * total


def _char_t2s(c: str) -> str:
    s = _t2s(c)
    return s if len(s) == 1 else c


def to_simplified(text: str) -> str:
    """t2s with the same length as the input, so offsets in one are offsets in the other."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        converted = _t2s(line)
        if len(converted) != len(line):
            converted = "".join(_char_t2s(c) for c in line)
        out.append(converted)
    result = "".join(out)
    assert len(result) == len(text)
    return result


def simplify(text: str) -> tuple[str, str | None]:
    """(text for indexing, original or None): the original is kept only when the text changed."""
    if not is_traditional(text):
        return text, None
    simplified = to_simplified(text)
    if simplified == text:
        return text, None
    return simplified, text
