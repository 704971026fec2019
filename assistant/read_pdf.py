"""A PDF with a text layer -> its text, page by page, one line per paragraph.

Library: pdfplumber (MIT; pdfminer.six underneath, pure Python), chosen over pypdf
7.1 and PyMuPDF 2.0.  Measured on PDFs that Chromium printed from report text of
our own: (a) three A4 pages with a running header, "— N —" page numbers, a ruled
two-column table and a paragraph running over a page break (833 characters, 36
figures such as 12757.4亿元), thirty such pages for speed; (b) one page with a
letter-spaced title, inter-character justified lines, a two-column section, a
table with wrapped cells and a superscript note (6 sentences to recover).

Columns: (a) characters in order / figures intact; (b) spaces put between Chinese
characters / sentences recovered in order; time for the 30 pages.

* pdfplumber, text flow:  833/833, 36/36;  5 (letter-spaced title only), 6/6;  350 ms
* pdfplumber, default:    833/833, 36/36;  5, 2/6 (columns interleaved);       350 ms
* pypdf:                  819/833 (*), 36/36;  9 ("增 长 9.4% 。 新 建 5G 基 站"), 6/6;  215 ms
* pypdf, layout mode:     833/833, 36/36;  10, 2/6;                            187 ms
* PyMuPDF:                819/833 (*), 36/36;  0 but the title one char a line, 6/6;  25 ms
* PyMuPDF, sort:          833/833, 36/36;  6, 2/6;                             20 ms
* this module (pdfplumber + the rules below): 802/833 (**), 36/36;  0, 6/6 each on one line;  537 ms

(*) the running header comes after the page's text.  (**) the 31 characters of
running headers and page numbers are dropped, on purpose.

All three read every character and keep figures whole; the differences are spaces
and order.  pdfplumber in text-flow order keeps the reading order and puts no
spaces into justified lines (its only spaces, in a letter-spaced title, are taken
out here); PyMuPDF's plain mode breaks such a title into one character a line, and
sorting interleaves columns in both.  pdfplumber alone also gives what the rest of
this module needs: each word's position
and font size (to drop running headers, footers and page numbers, to rejoin the
lines of a paragraph and tell columns apart), ruled-table detection (rows become
lines, see ``tables``), and ``dedupe_chars`` for the doubled glyphs of "fake bold"
text.  PyMuPDF is far faster but AGPL-licensed (this project is MIT) and 116 MB;
18 ms a page is small next to embedding the text.

A PDF with no text layer (a scan) is refused with one line: OCR is not supported.
"""
from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass, field

from .errors import DocumentError
from .tables import table_lines

log = logging.getLogger(__name__)

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026"
_CJK_RE = re.compile(f"[{_CJK}]")
# Spaces a PDF's glyph positions put between Chinese characters (letter-spaced titles, justified lines).
_CJK_SPACE = re.compile(f"(?<=[{_CJK}])[ \u00a0]+(?=[{_CJK}])|(?<=\\S)[ \u00a0]+(?=[，。；：、！？）”])|(?<=[（“])[ \u00a0]+")
_PAGE_NUMBER = re.compile(
    r"^[-—–－‒\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–－‒\s]*$"
    r"|^[-—–－‒\s]*(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-—–－‒\s]*$",
    re.I,
)
MIN_TEXT_CHARS = 20  # fewer letters than this in the whole file: no text layer


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    table: bool = False
    parts: list = field(default_factory=list)


def _join_words(words: list[dict]) -> str:
    if len(words) >= 4 and sum(len(w["text"]) == 1 for w in words) >= 0.6 * len(words):
        return "".join(w["text"] for w in words)  # a letter-spaced line ("政 府 工 作 报 告", "2 0 2 5")
    chinese = any(_CJK_RE.search(w["text"]) for w in words)
    out = ""
    for prev, w in zip([None, *words], words):
        t = w["text"]
        if out and not (_CJK_RE.match(out[-1]) or _CJK_RE.match(t[0])
                        or chinese and _split_number(out, t) and w["x0"] - prev["x1"] < 0.6 * (w.get("size") or 10.0)):
            out += " "  # (a justified Chinese line spreads a number's digits apart: "1 363.99亿元")
        out += t
    return out


def _split_number(before: str, after: str) -> bool:
    """Do two pieces of a Chinese line meet inside a number ("191" | "0.95亿元", "1." | "92万套")?"""
    return bool(re.search(r"\d\.?$", before) and re.match(r"\.?\d", after))


def _group_lines(words: list[dict]) -> list[_Line]:
    """Words in text-flow order -> lines: a word joins the line it overlaps vertically and follows."""
    lines: list[_Line] = []
    cur: list[dict] = []

    def close() -> None:
        if cur:
            lines.append(_Line(
                text=_join_words(cur), x0=min(w["x0"] for w in cur), x1=max(w["x1"] for w in cur),
                top=min(w["top"] for w in cur), bottom=max(w["bottom"] for w in cur),
                size=statistics.median(w.get("size", w["bottom"] - w["top"]) for w in cur)))

    for w in words:
        if cur:
            last = cur[-1]
            top, bottom = min(x["top"] for x in cur), max(x["bottom"] for x in cur)
            overlap = min(bottom, w["bottom"]) - max(top, w["top"])
            height = min(bottom - top, w["bottom"] - w["top"]) or 1.0
            if overlap >= 0.4 * height and w["x0"] >= last["x0"] - 1:
                cur.append(w)
                continue
            close()
        cur = [w]
    close()
    return lines


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page_lines(page) -> list[_Line]:
    page = page.dedupe_chars()
    tables = []
    if page.rects or page.lines:
        try:
            tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
        except Exception:  # a malformed drawing should not cost the page its text
            log.debug("table detection failed on a page", exc_info=True)
    boxes = [t.bbox for t in tables]
    body = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes)) if boxes else page
    words = body.extract_words(use_text_flow=True, extra_attrs=["size"], keep_blank_chars=False)
    lines = _group_lines(words)
    for t in tables:
        rows = t.extract()
        x0, top, x1, bottom = t.bbox
        line = _Line("\n".join(table_lines(rows)), x0, x1, top, bottom, 0.0, table=True)
        at = next((i for i, ln in enumerate(lines) if ln.top > top), len(lines))
        lines.insert(at, line)
    return lines


def _repeat_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> None:
    """Remove page numbers and the header/footer lines that repeat at the top or bottom of pages."""
    def edge_lines(lines: list[_Line], height: float) -> list[_Line]:
        by_y = sorted((ln for ln in lines if not ln.table), key=lambda ln: ln.top)
        edges = by_y[:2] + by_y[-2:]
        return [ln for ln in edges if ln.top < 0.15 * height or ln.bottom > 0.85 * height]

    counts: dict[str, int] = {}
    for lines, h in zip(pages, heights):
        for key in {_repeat_key(ln.text) for ln in edge_lines(lines, h)}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    for lines, h in zip(pages, heights):
        body = [ln.size for ln in lines if not ln.table and len(ln.text) >= 10]
        size = statistics.median(body) if body else 0.0
        drop = set()
        for ln in edge_lines(lines, h):
            if _PAGE_NUMBER.match(ln.text):
                drop.add(id(ln))
            elif (len(pages) >= 2 and counts.get(_repeat_key(ln.text), 0) >= need and len(ln.text) <= 60
                  and (not size or ln.size <= 1.05 * size)):
                drop.add(id(ln))
        lines[:] = [ln for ln in lines if id(ln) not in drop]


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Rejoin the lines of a paragraph: a line that runs to the column's right edge
    continues on the next unless that one is indented, set apart or in another size."""
    if not lines:
        return []
    text_lines = [ln for ln in lines if not ln.table]
    sizes = [ln.size for ln in text_lines if ln.size]
    cw = statistics.median(sizes) if sizes else 10.0
    gaps = [b.top - a.bottom for a, b in zip(text_lines, text_lines[1:]) if 0 <= b.top - a.bottom < 3 * cw]
    gap = statistics.median(gaps) if gaps else 0.5 * cw

    def beside(a: _Line, b: _Line) -> bool:  # side by side: another column at the same height
        return (min(a.bottom, b.bottom) - max(a.top, b.top) > 0.3 * cw) and (a.x1 <= b.x0 or b.x1 <= a.x0)

    in_columns = {id(a) for a in text_lines if any(beside(a, b) for b in text_lines)}

    def column(ln: _Line) -> tuple[float, float]:
        """Left and right edges of the column a line is in (lines of other columns not counted)."""
        band = id(ln) in in_columns
        peers = [o for o in text_lines if o.x0 < ln.x1 and o.x1 > ln.x0 and (id(o) in in_columns) == band
                 and abs(o.size - ln.size) <= 0.15 * cw] or [ln]
        return min(o.x0 for o in peers), max(o.x1 for o in peers)

    out: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        if ln.table:
            out.append(ln.text)
            prev = None
            continue
        if prev is not None:
            left, right = column(prev)
            cleft, _ = column(ln)
            joins = (prev.x1 >= right - 1.2 * cw and ln.x0 <= cleft + 0.5 * cw
                     and ln.top - prev.bottom <= max(1.2 * cw, 1.8 * gap) and ln.top >= prev.top
                     and abs(ln.size - prev.size) <= 0.15 * cw)
            if joins:
                sep = "" if (_CJK_RE.match(out[-1][-1:]) or _CJK_RE.match(ln.text[:1])
                             or out[-1][-1:].isdigit() and ln.text[:1] in "%％"
                             or _split_number(out[-1], ln.text) and _CJK_RE.search(out[-1])) else " "
                out[-1] += sep + ln.text
                prev = ln
                continue
        out.append(ln.text)
        prev = ln
    return out


def tidy(line: str) -> str:
    return _CJK_SPACE.sub("", line).strip()


def read_pdf(path, name: str) -> list[str]:
    """The text of each page (paragraphs one a line); DocumentError for a PDF that has no text to give."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect:
        raise DocumentError(f"{name}: the PDF is password-protected; save an unprotected copy and ingest that") from None
    except Exception as exc:
        raise DocumentError(f"{name}: not a readable PDF (damaged or unsupported: {type(exc).__name__})") from None
    try:
        pages: list[list[_Line]] = []
        heights: list[float] = []
        for page in pdf.pages:
            try:
                pages.append(_page_lines(page))
            except Exception as exc:
                log.warning("%s: page %d could not be read (%s)", name, page.page_number, type(exc).__name__)
                pages.append([])
            heights.append(float(page.height))
    except Exception as exc:
        raise DocumentError(f"{name}: not a readable PDF (damaged or unsupported: {type(exc).__name__})") from None
    finally:
        pdf.close()
    letters = sum(len(re.sub(r"\W", "", ln.text)) for lines in pages for ln in lines)
    if letters < MIN_TEXT_CHARS:
        raise DocumentError(f"{name}: a scanned PDF with no text layer (OCR is not supported); "
                            "ingest a PDF with selectable text or a text copy")
    _drop_running_lines(pages, heights)
    return ["\n".join(t for t in (tidy(p) for p in _paragraphs(lines)) if t) for lines in pages]
