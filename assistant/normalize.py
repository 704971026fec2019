"""One text normalisation for corpus and questions alike.

Chinese punctuation is made full-width (the convention of the reports), while
digits, Latin letters and the symbols inside numbers (``.``, ``%``, ``,`` between
digits, ``:`` in times) are made half-width.  No number, unit or name changes:
only the code points of punctuation and of full-width digits/letters do, and the
spaces that split a number in Chinese text go.
"""
from __future__ import annotations

import re
import unicodedata

# Half-width punctuation that becomes full-width when it is not inside a number.
_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# A comma or colon between two digits (1,234 or 10:30) stays half-width.
_CJK_CHAR = re.compile(f"[{_CJK}“”‘’]")  # Chinese quotation marks count as Chinese text
_INSIDE_NUMBER = re.compile(r"(?<=\d)[,:](?=\d)")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
# a number split by a space in running Chinese text ("达到43 6.2亿元", "交付1. 92万套"), not two
# numbers in a row (a table row read as text, "亿元11224 6.9", has a long first one and no unit after)
_SPLIT_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])(\d{1,3}\.?) (?!(?:19|20)\d\d\s*年)(?=\d+(?:\.\d+)?[万亿千百]?[\u4e00-\u9fff%])")
_SPLIT_DECIMAL = re.compile(r"(?<=\d) +(?=\.\d)")  # "96 .4亿元": a decimal point starts no number


def _fold_char(ch: str) -> str:
    """Full-width ASCII letters, digits and %/./- become half-width; the rest stays."""
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    return {"％": "%", "．": ".", "－": "-", "＋": "+", "／": "/", "～": "~"}.get(ch, ch)


def _near_cjk(text: str, i: int) -> bool:
    """Punctuation is Chinese when a neighbour (spaces skipped) is a CJK character."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(text) and text[j] in " \t":
            j += step
        if 0 <= j < len(text) and _CJK_CHAR.match(text[j]):
            return True
    return False


def normalize_text(text: str) -> str:
    """Normalise one line or paragraph (no line breaks are added or removed)."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = "".join(_fold_char(c) for c in text)
    protected = {m.start() for m in _INSIDE_NUMBER.finditer(text)}
    text = "".join(
        _TO_FULL[c] if c in _TO_FULL and i not in protected and _near_cjk(text, i) else c
        for i, c in enumerate(text)
    )
    text = _SPACES.sub(" ", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPLIT_NUMBER.sub(r"\1", text)
    text = _SPLIT_DECIMAL.sub("", text)
    return text.strip()


def normalize_block(text: str) -> str:
    """Normalise a multi-line text line by line and drop the line breaks."""
    return "".join(normalize_text(line) for line in text.splitlines())
