"""Raw report text -> citable paragraphs with metadata.

General rules only (no file names, no line numbers): drop site chrome and HTML
leftovers, rejoin lines broken mid-sentence, drop running headers that interrupt
a sentence, turn Markdown headings/bullets into section context and paragraphs,
drop repeated and near-repeated paragraphs (keeping the more complete copy and
recording where the other copy came from).
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Iterable, Iterator

from .errors import DocumentError
from .facets import cue_kind, section_kind, years_in
from .load import Document
from .normalize import normalize_text
from .numbers import COUNTERS, MEASURES, QUALIFIERS_AFTER, SCALES
from .places import gazetteer
from .profile import Profile, known_areas, profile_document

log = logging.getLogger(__name__)

SECTION_SEP = " › "

# Site chrome: navigation, footers, disclaimers, comment boxes.
_CHROME = re.compile(
    r"导航菜单|本文地址|免责声明|留言与评论|验证码|本站|版权所有|责任编辑|上一篇|下一篇|返回顶部|"
    r"打印本页|关闭窗口|分享到|扫一扫|Copyright|ICP备|不得转载|仅代表作者观点|侵权|"
    # photo captions and image links: "▲…（资料图）", "图为…（记者 某某 摄）", "点击查看大图"
    r"[上下]接第?\s*\d+\s*版|转第?\s*\d+\s*版|^[▲△↑]|^图为|^图[：:]|[（(][^（）()]{0,24}(?:摄|供图|资料图)[）)]$|点击查看大图|^!\[[^\]]*\]\([^)]*\)$"
)
# running page furniture: page numbers ("-12-", "— 7 —"), a newspaper's page and its jumps ("第04版", "下转第04版")
_PAGE_MARK = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*页?[-—–\s]*$|第\s*\d{1,3}\s*版")
# a running headline ("绘出现代化国际 ——写在两会召开之际") or the report's own title as a page header
_HEADLINE = re.compile(r"——|[|｜]|工作报告")
# the decorations of an illustrated summary's items ("■ 一、经济运行", "▶ 签约项目9262个")
_ITEM_MARK = re.compile(r"^[■□▶▷●◆▪►◇○]\s*")
_NUMBERED = re.compile(r"^\d{1,2}[.、．]\s*[\u4e00-\u9fff]")
_JUMP = re.compile(r"[（(](?:下转|上接|转|接)第?\s*\d{1,3}\s*版[）)]")  # a newspaper's "continued on page 4"
_BRACKET_HEADING = re.compile(r"^【[^】]{2,40}】$")
_EMOJI_LEAD = re.compile(r"^[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200d▲△■□●○◆◇★☆▶►]+\s*")
_MD_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_MD_TABLE_RULE = re.compile(r"^\s*:?-{3,}:?\s*$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>?|&[a-z]+;|&#\d+;")
_HAS_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*$")
_MD_BULLET = re.compile(r"^(?:[-*+•]|\d{1,2}[.)])\s+")
_MARKS = re.compile(r"\*\*|__|[✓✔√☑■●◆★☆▶►]")
_CN_NUM = "一二三四五六七八九十"
_H1 = re.compile(rf"^[{_CN_NUM}]+、")
_H2 = re.compile(rf"^（[{_CN_NUM}]+）")
_TERMINAL = "。！？!?…"
_CLOSERS = "”’」』）)"
_SENTENCE_PUNCT = re.compile(r"[，。；！？、：,.;!?]")


@dataclass
class Paragraph:
    """A citable unit of report text and what is known about it."""

    id: str
    source: str
    title: str
    region: str
    doc_year: int | None
    years: list[int]
    kind: str
    section: str
    position: int
    start: int
    end: int
    text: str
    alt_sources: list[str] = field(default_factory=list)
    year: int | None = None  # the year its figures are about unless a clause says otherwise
    place_level: str = ""  # nation | province | city | county | area
    place_parent: str = ""  # the enclosing place (the city of a district)
    doc_kind: str = ""  # report | summary | news
    page: int | None = None  # 1-based page of a paged format (PDF)
    original: str = ""  # the document's own text when ``text`` was converted (traditional → simplified)

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def display(self) -> str:
        """The paragraph as the document writes it (what citations show)."""
        return self.original or self.text

    def metadata(self) -> dict:
        """Flat scalar metadata for the vector store."""
        return {
            "source": self.source,
            "title": self.title,
            "region": self.region,
            "doc_year": self.doc_year or 0,
            "years": ",".join(str(y) for y in self.years),
            "kind": self.kind,
            "section": self.section,
            "position": self.position,
            "start": self.start,
            "end": self.end,
            "alt_sources": ",".join(self.alt_sources),
            "year": self.year or 0,
            "place_level": self.place_level,
            "place_parent": self.place_parent,
            "doc_kind": self.doc_kind,
            "page": self.page or 0,
            "original": self.original,
        }

    @classmethod
    def from_metadata(cls, pid: str, text: str, meta: dict) -> "Paragraph":
        return cls(
            id=pid,
            source=meta["source"],
            title=meta["title"],
            region=meta["region"],
            doc_year=meta["doc_year"] or None,
            years=[int(y) for y in str(meta["years"]).split(",") if y],
            kind=meta["kind"],
            section=meta["section"],
            position=int(meta["position"]),
            start=int(meta["start"]),
            end=int(meta["end"]),
            text=text,
            alt_sources=[s for s in str(meta.get("alt_sources", "")).split(",") if s],
            year=int(meta.get("year") or 0) or None,
            place_level=str(meta.get("place_level", "")),
            place_parent=str(meta.get("place_parent", "")),
            doc_kind=str(meta.get("doc_kind", "")),
            page=int(meta.get("page") or 0) or None,
            original=str(meta.get("original", "")),
        )


@dataclass
class _Line:
    text: str
    start: int
    end: int
    role: str  # heading | bullet | body | title (table_row while a Markdown table is read)
    level: int = 0
    display: str = ""  # the same line in the document's own characters
    item: bool = False  # it began with an item mark or a number ("▶ 签约项目9262个", "1.着力扩大有效需求")


def paragraph_id(source: str, text: str) -> str:
    """Stable id: re-ingesting the same text from the same file gives the same id."""
    return hashlib.sha256(f"{source}\n{text}".encode("utf-8")).hexdigest()[:16]


def is_terminated(text: str) -> bool:
    """Does this line end a sentence (so a line break after it is a real break)?"""
    t = text.rstrip()
    if not t:
        return True
    if t.endswith("——") or t.endswith("："):
        return True
    if t[-1] in _TERMINAL:
        return True
    return t[-1] in _CLOSERS and len(t) > 1 and t[-2] in _TERMINAL


def _titleish(text: str) -> bool:
    """A short line with no sentence punctuation: a title or a running header."""
    return len(text) <= 40 and not _SENTENCE_PUNCT.search(text.replace("——", ""))


def _raw_lines(text: str) -> Iterator[tuple[str, int, int]]:
    pos = 0
    for raw in text.splitlines(keepends=True):
        yield raw.rstrip("\r\n"), pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)


def _visible(raw: str, markdown: bool) -> tuple[str, str, int]:
    """A raw line's visible text: (form, text, Markdown heading level); form is md_heading,
    md_bullet or line."""
    text = _HTML_TAG.sub("", raw).replace("\ufffd", "")
    row = _MD_TABLE_ROW.match(text)
    if row:  # "| 固定资产投资 | 增长6%以上 |": one report line, as tables.py writes a table row
        cells = [normalize_text(_MARKS.sub("", c)).strip() for c in row.group(1).split("|")]
        if all(_MD_TABLE_RULE.match(c) or not c for c in cells):
            return "line", "", 0
        return "table_row", " ".join(c for c in cells if c) + "；", 0
    if markdown:
        heading = _MD_HEADING.match(text.strip())
        if heading:
            return "md_heading", normalize_text(_MARKS.sub("", heading.group(2))), len(heading.group(1))
        if _MD_BULLET.match(text.strip()):
            return "md_bullet", normalize_text(_MARKS.sub("", _MD_BULLET.sub("", text.strip()))), 0
        text = _MARKS.sub("", text)
    text = _JUMP.sub("", normalize_text(text))
    if _ITEM_MARK.match(text) or _NUMBERED.match(text):
        return "item", _ITEM_MARK.sub("", text), 0
    return "line", text, 0


def _classify(doc: Document) -> list[_Line]:
    lines: list[_Line] = []
    original = getattr(doc, "original", None)
    for raw, start, end in _raw_lines(doc.text):
        form, text, md_level = _visible(raw, doc.markdown)
        display = _visible(original[start:end], doc.markdown)[1] if original else text
        if lines and lines[-1].role == "table_row" and form != "table_row" and text:
            last = lines[-1]  # a table ends its sentence with its last row
            last.text, last.display, last.role = last.text[:-1] + "。", last.display[:-1] + "。", "body"
        if form == "table_row":
            lines.append(_Line(text, start, end, "table_row", 0, display))
            continue
        item = form == "item"
        form = "line" if item else form
        if form != "line":
            if _HAS_CONTENT.search(text):
                role = "heading" if form == "md_heading" else "bullet"
                lines.append(_Line(text, start, end, role, md_level, display))
            continue
        text = _EMOJI_LEAD.sub("", text)  # "📌【一、2023年工作回顾】": a WeChat copy's markers
        bracketed = _BRACKET_HEADING.match(text)
        if bracketed and (_H1.match(text[1:-1]) or _H2.match(text[1:-1])):
            text = text[1:-1]
        if not text:
            continue
        if not _HAS_CONTENT.search(text):
            lines.append(_Line("", start, end, "break"))  # "……", "***": ends a paragraph
            continue
        if _CHROME.search(text):
            log.debug("%s: dropped site chrome %r", doc.source, text[:40])
            continue
        if _BRACKET_HEADING.match(text):  # "【2023年成绩单】": a year's heading holds the sections below it
            lines.append(_Line(text, start, end, "heading", 0 if years_in(text) else 1, display))
        elif _H1.match(text) and len(text) <= 40 and "。" not in text[:-1]:
            lines.append(_Line(text.rstrip("。"), start, end, "heading", 1, display.rstrip("。")))
        elif _H2.match(text) and "。" not in text[:-1] and (
            not is_terminated(text) or text.endswith("。") and len(text) <= 40
        ):
            lines.append(_Line(text.rstrip("。"), start, end, "heading", 2, display.rstrip("。")))
        elif text.endswith("——") and len(text) <= 50 and not text.startswith("——"):
            lines.append(_Line(text, start, end, "heading", 1, display))
        else:
            lines.append(_Line(text, start, end, "title" if _titleish(text) else "body", 0, display, item))
    for line in lines:
        if line.role == "table_row":
            line.role = "body"
    for i in range(1, len(lines) - 1):  # "…零售总额\n1433\n2.7亿元": a number broken over three lines
        prev, line, nxt = lines[i - 1], lines[i], lines[i + 1]
        if line.role == "title" and re.fullmatch(r"\d+", line.text) and prev.role == "body" \
                and not is_terminated(prev.text) and re.match(r"[\d.]", nxt.text):
            line.role = "body"
    return lines


@dataclass
class _Block:
    text: str
    start: int
    end: int
    section: tuple[str, ...]


def _column_width(lines: list[_Line]) -> float | None:
    """Typical length of lines that a layout broke mid-sentence (None if there are few)."""
    broken = sorted(len(l.text) for l in lines if l.role != "heading" and not is_terminated(l.text))
    return float(broken[len(broken) // 2]) if len(broken) >= 5 else None


# "地区生产总值 5.9万亿元" / "一般公共预算收入 4512亿元": one item a line, each line a clause
_ITEM_END = re.compile(r"\d\s*(?:万亿|亿|万|千)?(?:[%‰]|" + "|".join(re.escape(u) for u in (*MEASURES, *COUNTERS)) + r")?"
                       r"(?:" + "|".join(QUALIFIERS_AFTER) + r")?$")
_ITEM_START = re.compile(r"[\u4e00-\u9fff]")
_NOT_ITEM_START = re.compile(r"(?:" + "|".join(re.escape(u) for u in (*SCALES, *MEASURES, *COUNTERS, *QUALIFIERS_AFTER))
                             + r"|的|和|与|及|等|、)")


def _join(lines: list[_Line]) -> str:
    """A paragraph's lines as one text; a line that ends with a figure and a next one that
    starts a new label are two items ("；"), not one broken sentence."""
    out = lines[0].text
    for line in lines[1:]:
        tail = re.split(r"[，。；：！？、]", out)[-1]  # an item is a label and its figures: "地区生产总值 5.9万亿元"
        figure_end = _ITEM_END.search(tail) and re.match(r"[\u4e00-\u9fff“”]{2}", tail)
        if figure_end and (_ITEM_START.match(line.text) and not _NOT_ITEM_START.match(line.text)
                           or not out[-1].isdigit() and line.text[:1].isdigit()) \
                or line.item and out[-1] not in "。；，：！？、（(":
            out += "；"
        out += line.text
    return out


def _starts_broken_sentence(lines: list[_Line], i: int, column: float | None) -> bool:
    """A punctuation-free line as long as the layout's column, followed by body text,
    is the start of a broken sentence, not a heading."""
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return bool(column and nxt and nxt.role == "body" and len(lines[i].text) >= 0.7 * column)


def _assemble(lines: list[_Line]) -> tuple[list[_Line], list[_Block]]:
    """Group lines into paragraphs; return (front matter lines, blocks)."""
    front: list[_Line] = []
    blocks: list[_Block] = []
    stack: list[tuple[int, str]] = []
    buf: list[_Line] = []
    bullets: list[_Line] = []
    seen_body = False
    after_dash_heading = False
    column = _column_width(lines)
    repeats = Counter(l.text for l in lines if l.role == "title")

    def section() -> tuple[str, ...]:
        return tuple(h for _, h in stack)

    def push(level: int, heading: str) -> None:
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading))

    def flush() -> None:
        nonlocal buf
        if buf:
            text = _join(buf)
            inline = _H2.match(text)
            if inline and "。" in text:
                push(2, text[: text.index("。")])
            blocks.append(_Block(text, buf[0].start, buf[-1].end, section()))
            buf = []

    def flush_bullets() -> None:
        nonlocal bullets
        if bullets:
            parts = [b.text.rstrip("。；;") for b in bullets]
            blocks.append(_Block("；".join(parts) + "。", bullets[0].start, bullets[-1].end, section()))
            bullets = []

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.role == "bullet":
            flush()
            bullets.append(line)
            i += 1
            continue
        flush_bullets()
        if line.role == "break":
            flush()
            i += 1
            continue
        if line.role == "heading":
            flush()
            push(line.level, line.text)
            after_dash_heading = line.text.endswith("——")
            seen_body = True
            i += 1
            continue
        if line.role == "title":
            if repeats[line.text] >= 3 and seen_body:  # a running header at a page's top, between paragraphs
                log.debug("dropped running header %r", line.text)
                i += 1
                continue
            if not seen_body and not buf:
                front.append(line)
                i += 1
                continue
            if buf and not is_terminated(buf[-1].text):
                j = i
                while j < len(lines) and lines[j].role == "title":
                    j += 1
                # the page furniture from its first line on ("…进出" then the masthead: the text is kept)
                marked = [k for k in range(i, j) if repeats[lines[k].text] >= 2 or _PAGE_MARK.search(lines[k].text)
                          or _HEADLINE.search(lines[k].text)]
                if j < len(lines) and lines[j].role == "body" and marked:
                    log.debug("dropped running header %r", " ".join(l.text for l in lines[marked[0]:j]))
                    buf.extend(lines[i : marked[0]])
                    i = j
                    continue
            if not (buf or _starts_broken_sentence(lines, i, column)):
                flush()
                push(3, line.text)
                i += 1
                continue
        seen_body = True
        if after_dash_heading and not buf and not is_terminated(line.text):
            blocks.append(_Block(line.text, line.start, line.end, section()))
            after_dash_heading = False
            i += 1
            continue
        after_dash_heading = False
        if _H2.match(line.text) or _H1.match(line.text):
            flush()  # never join a numbered heading into the paragraph before it
        buf.append(line)
        if is_terminated(line.text) and not (line.text.endswith("：") and len(line.text) <= 10):
            flush()
        i += 1
    flush()
    flush_bullets()
    return front, _subheads(blocks)


def _subheads(blocks: list[_Block]) -> list[_Block]:
    """A short block that starts with a dash is a sub-heading for what follows."""
    out: list[_Block] = []
    current: str | None = None
    parent: tuple[str, ...] | None = None
    for b in blocks:
        if b.text.startswith("——") and len(b.text) <= 40:
            current, parent = b.text.strip("—。"), b.section
            continue
        if current and b.section == parent:
            b = _Block(b.text, b.start, b.end, b.section + (current,))
        else:
            current = None
        out.append(b)
    return out


_NOT_TITLE = re.compile(r"[>›»/＞]|首页|点击|关注|蓝字|来源[：:]|编辑|作者|记者|阅读|星期|^\d{4}[-年.]\d{1,2}[-月.]\d{1,2}日?\s*$")
_REPORT_HEADING = re.compile(r"工作回顾|工作安排|总体要求|主要目标|预期目标|重点工作")


def _title(front: list[_Line], headings: list[str], profile: Profile) -> str:
    """The document's own title line (a front line naming the report, else the first), else one
    made from what it is (place, year, kind)."""
    # not a breadcrumb, a follow-us line, a byline or a bare date
    plain = [l.text for l in front if not _NOT_TITLE.search(l.text)]
    named = [t for t in plain if "工作报告" in t]
    if named and (years_in(named[0]) or profile.place.short in named[0] or profile.place.name in named[0]):
        return named[0]
    if plain and profile.kind != "report":
        return plain[0]
    when = f"{profile.year}年" if profile.year else ""
    place = "国务院" if profile.place.level == "nation" else profile.place.name
    if profile.kind == "summary" and headings:
        return f"{place}{when}{headings[0]}"
    if profile.kind == "report" or any(_REPORT_HEADING.search(h) for h in headings):
        return f"{place}{when}政府工作报告"
    return f"{place}{when}相关报道"


def _section_facets(path: str, text: str, profile: Profile, headings_kind: str) -> tuple[int | None, str]:
    """The year a paragraph's figures are about and whether they are plans or results:
    from its headings ("2023年工作回顾" → 2023, result), else from the report's year
    (a report reviews the year before it and plans its own), else from its cue words.
    ``headings_kind``: the one kind all of the document's headings agree on, if any."""
    kind = section_kind(path) or headings_kind
    stated = years_in(path)
    if not kind and profile.kind == "news":
        kind = "result" if cue_kind(text) != "plan" else "plan"
    kind = kind or cue_kind(text)
    if stated:  # the deepest heading that names a year
        for part in reversed(path.split(SECTION_SEP)):
            if years_in(part):
                return years_in(part)[-1], kind
    if profile.year is None:
        return None, kind
    if kind == "result" and profile.kind != "news":
        return profile.year - 1, kind
    return profile.year, kind


def _display_blocks(lines: list[_Line], blocks: list[_Block]) -> list[str]:
    """Each block in the document's own characters (same length as its text), or ''."""
    if all(l.display == l.text for l in lines):
        return [""] * len(blocks)
    _, shown = _assemble([_Line(l.display, l.start, l.end, l.role, l.level, l.display, l.item) for l in lines])
    if len(shown) != len(blocks) or any(len(a.text) != len(b.text) for a, b in zip(shown, blocks)):
        log.info("could not align the original text with the converted one; citations show the converted text")
        return [""] * len(blocks)
    return [b.text if b.text != a.text else "" for a, b in zip(blocks, shown)]


def clean_document(doc: Document, areas: Iterable = ()) -> list[Paragraph]:
    """Paragraphs of one document, before cross-document de-duplication (``areas``: named
    non-administrative areas found in the library, for a document that only says 新区)."""
    lines = _classify(doc)
    front, blocks = _assemble(lines)
    headings = [l.text for l in lines if l.role == "heading"]
    if not blocks:
        raise DocumentError(f"{doc.source}: no report text found after cleaning")
    profile = profile_document(doc.text, doc.source, front[0].text if front else "", headings,
                               getattr(doc, "place", "") or "", getattr(doc, "year", None), areas)
    title = _title(front, headings, profile)
    shown = _display_blocks(lines, blocks) if getattr(doc, "original", None) else [""] * len(blocks)
    if any(ch.isdigit() for line in front for ch in line.text):
        # The title block carries facts too (the date the report was delivered).
        blocks.insert(0, _Block(" ".join(l.text for l in front), front[0].start, front[-1].end, ()))
        display = " ".join(l.display for l in front)
        shown.insert(0, display if display != blocks[0].text and len(display) == len(blocks[0].text) else "")
    page_at = getattr(doc, "page_at", None)
    place = profile.place
    heading_kinds = {section_kind(h) for h in headings} - {""}
    headings_kind = heading_kinds.pop() if len(heading_kinds) == 1 else ""
    paragraphs: list[Paragraph] = []
    seen: set[str] = set()
    for block, display in zip(blocks, shown):
        if block.text in seen:
            continue
        seen.add(block.text)
        path = SECTION_SEP.join(block.section)
        year, kind = _section_facets(path, block.text, profile, headings_kind)
        years = set(years_in(path)) | set(years_in(block.text)) | ({year} if year else set())
        paragraphs.append(
            Paragraph(
                id=paragraph_id(doc.source, block.text),
                source=doc.source,
                title=title,
                region=place.name,
                doc_year=profile.year,
                years=sorted(years),
                kind=kind,
                section=path,
                position=len(paragraphs),
                start=block.start,
                end=block.end,
                text=block.text,
                year=year,
                place_level=place.level,
                place_parent=place.parent,
                doc_kind=profile.kind,
                page=page_at(block.start) if page_at else None,
                original=display,
            )
        )
    return paragraphs


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


_NUM = re.compile(r"\d+(?:\.\d+)?")


def _prefix_size(n: int, threshold: float) -> int:
    """How many of a gram set's rarest grams must include a shared one when the overlap is ≥ threshold·n."""
    return n - math.ceil(threshold * n - 1e-9) + 1


def deduplicate(docs: list[list[Paragraph]], threshold: float = 0.9) -> list[Paragraph]:
    """Drop paragraphs that repeat another (same or near the same, or contained in it).

    The more complete copy is kept (the longer text; on a tie, the longer
    document) and the dropped copy's source is recorded in ``alt_sources``.  A
    paragraph is only dropped when all its numbers are in the copy that is kept.

    Near-duplicates need an overlap of at least threshold × the smaller bigram
    set, so a pair must share one of the rarer set's rarest bigrams (prefix
    filtering).  Only those pairs are compared, which keeps a large corpus from
    costing a comparison with every kept paragraph.
    """
    order = sorted(range(len(docs)), key=lambda i: -sum(len(p.text) for p in docs[i]))
    df: Counter[str] = Counter()
    grams_of: dict[int, list[str]] = {}
    for doc in docs:
        for p in doc:
            grams = _bigrams(p.text)
            df.update(grams)
            grams_of[id(p)] = list(grams)
    for grams in grams_of.values():
        grams.sort(key=lambda g: (df[g], g))  # rarest first
    kept: list[tuple[Paragraph, set[str], set[str]]] = []
    every: dict[str, list[int]] = {}  # bigram -> kept slots holding it
    prefixes: dict[str, list[int]] = {}  # bigram -> kept slots whose rarest grams include it

    def index(slot: int, ranked: list[str]) -> None:
        for g in ranked:
            every.setdefault(g, []).append(slot)
        for g in ranked[: _prefix_size(len(ranked), threshold)]:
            prefixes.setdefault(g, []).append(slot)

    for di in order:
        for p in docs[di]:
            ranked = grams_of[id(p)]
            grams, nums = set(ranked), set(_NUM.findall(p.text))
            candidates: set[int] = set()
            for g in ranked[: _prefix_size(len(ranked), threshold)]:
                candidates.update(every.get(g, ()))
            for g in ranked:
                candidates.update(prefixes.get(g, ()))
            merged = False
            for k in sorted(candidates):
                q, qgrams, qnums = kept[k]
                replaces = len(p.text) > len(q.text) and qnums <= nums
                if not replaces and not nums <= qnums:
                    continue
                inter = len(grams & qgrams)
                if not inter:
                    continue
                small = min(len(grams), len(qgrams)) or 1
                jaccard = inter / (len(grams | qgrams) or 1)
                if jaccard < threshold and inter / small < threshold:
                    continue
                if replaces:
                    p.alt_sources = sorted(set(q.alt_sources) | {q.source} - {p.source})
                    kept[k] = (p, grams, nums)
                    index(k, ranked)
                elif p.source != q.source and p.source not in q.alt_sources:
                    q.alt_sources.append(p.source)
                merged = True
                break
            if not merged:
                kept.append((p, grams, nums))
                index(len(kept) - 1, ranked)
    survivors = {id(p) for p, _, _ in kept}
    out = [p for doc in docs for p in doc if id(p) in survivors]
    for doc in docs:
        for pos, p in enumerate(q for q in doc if id(q) in survivors):
            p.position = pos
    return out


def clean_documents(docs: list[Document]) -> tuple[list[Paragraph], list[DocumentError]]:
    """Clean every document, de-duplicate across them; bad documents become errors."""
    per_doc: list[list[Paragraph]] = []
    errors: list[DocumentError] = []
    areas = known_areas((d.text for d in docs), gazetteer())
    for doc in docs:
        try:
            per_doc.append(clean_document(doc, areas))
        except DocumentError as exc:
            log.info("%s", exc)
            errors.append(exc)
    return deduplicate(per_doc), errors
