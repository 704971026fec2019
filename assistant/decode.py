"""Bytes of a text file -> str: UTF-8 (with or without BOM), UTF-16 LE/BE (with or
without BOM), GB18030 (GBK, GB2312) and Big5.

Legacy Chinese encodings decode almost any byte string, so a guess is only taken
when the result reads as Chinese: most of its Han characters must be among the
common characters of that encoding's own character set (GB2312 level 1 for
GB18030, Big5 level 1 for Big5).  GB text decoded as Big5 (or the reverse) gives
valid but rare characters, so the two scores tell them apart, and Shift-JIS or
Latin-1 bytes fail both and are refused rather than read as mojibake.
"""
from __future__ import annotations

import codecs
import re

from .errors import DocumentError

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUA = re.compile(r"[\ue000-\uf8ff]")
_SAMPLE = 5000  # Han characters looked at when scoring a guess


def _gb_common(c: str) -> bool:
    try:
        return 0xB0 <= c.encode("gb2312")[0] <= 0xD7
    except UnicodeEncodeError:
        return False


def _big5_common(c: str) -> bool:
    try:
        b = c.encode("cp950")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E


def _commonness(text: str, common) -> float:
    """Share of Han (and private-use) characters that are common in the guessed encoding; 1.0 with no Han."""
    han = [c for c in text if _CJK.match(c) or _PUA.match(c)]
    if not han:
        return 1.0
    han = han[:_SAMPLE]
    return sum(1 for c in han if common(c)) / len(han)


def _plausible(text: str) -> float:
    """Share of characters that text files are made of (for telling UTF-16 from noise)."""
    if not text:
        return 0.0
    ok = 0
    for c in text[:20000]:
        o = ord(c)
        ok += (0x20 <= o < 0x7F or c in "\t\n\r" or 0x3000 <= o <= 0x303F or 0x3400 <= o <= 0x4DBF
               or 0x4E00 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F
               or 0xA0 <= o <= 0x24F or 0x2460 <= o <= 0x24FF or 0x2150 <= o <= 0x218F
               or 0x2190 <= o <= 0x22FF or 0xF900 <= o <= 0xFAFF or 0x25A0 <= o <= 0x25FF)
    return ok / min(len(text), 20000)


def _utf16(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 by its BOM, or without one when one byte order gives plain text and the other does not."""
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        order = "le" if raw.startswith(codecs.BOM_UTF16_LE) else "be"
        try:
            return raw[2:].decode(f"utf-16-{order}"), f"utf-16-{order}"
        except UnicodeDecodeError:
            return None
    if len(raw) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for order in ("le", "be"):
        try:
            text = raw.decode(f"utf-16-{order}")
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, text, f"utf-16-{order}")
    if best and best[0] >= 0.97:
        return best[1], best[2]
    return None


def looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name) or DocumentError with one line naming the file."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise DocumentError(f"{name}: starts like UTF-8 but holds bytes that are not; save it as UTF-8 again") from None
    has_nul = b"\x00" in raw[:8192]
    if has_nul or raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        found = _utf16(raw)
        if found:
            return found
    if not has_nul:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if looks_binary(raw):
        # Chinese UTF-16 without a BOM has few NULs but many bytes below 0x20.
        found = _utf16(raw)
        if found:
            return found
        raise DocumentError(f"{name}: looks like a binary file, not report text")
    guesses: list[tuple[float, str, str]] = []
    for codec, label, common in (("gb18030", "gb18030", _gb_common), ("cp950", "big5", _big5_common),
                                 ("big5hkscs", "big5", _big5_common)):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        guesses.append((_commonness(text, common), label, text))
    guesses.sort(key=lambda g: -g[0])
    if guesses and guesses[0][0] >= 0.6:
        return guesses[0][2], guesses[0][1]
    found = _utf16(raw)
    if found:
        return found
    raise DocumentError(f"{name}: not UTF-8, UTF-16, GB18030 or Big5 text; save it as UTF-8 and ingest again")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "cp950", "cp950": "cp950",
             "big5-hkscs": "big5hkscs", "utf-8": "utf-8", "utf8": "utf-8"}


def decode_html(raw: bytes, name: str) -> tuple[str, str]:
    """An HTML page: UTF-8 if its bytes are valid UTF-8 (pages are often mislabelled), else its
    declared <meta charset> when the bytes decode with it, else as any text file."""
    if b"\x00" not in raw[:8192]:
        try:
            return raw.removeprefix(codecs.BOM_UTF8).decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    m = _META_CHARSET.search(raw[:4096])
    codec = _CHARSETS.get(m.group(1).decode("ascii").lower()) if m else None
    if codec and not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode(codec), {"cp950": "big5", "big5hkscs": "big5"}.get(codec, codec)
        except UnicodeDecodeError:
            pass
    return decode_text(raw, name)
