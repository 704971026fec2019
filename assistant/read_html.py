"""A scraped report page -> its text, one line per block, with the site's chrome left out.

Ours, not trafilatura.  Measured on four scraped report pages written for this (a
portal page with a navigation bar, a 索引号/主题分类/发布机构/成文日期 block, a
related-links sidebar and a footer; a news page with comments; a page of ``<br>``
lines with a metadata list; a page with a data table and a bulleted list: 28 body
strings, 41 chrome strings, 4 metadata lines), and on the scraped Hefei and
national pages in evals/other_places:

* our old cleaner: body 28/28, chrome left 34/41, metadata 4/4;
* trafilatura 2.3, default: body 25/28, chrome left 10/41, metadata 2/4; on the
  short news page it returned the whole article as one run-on line, which the
  cleaner then dropped whole (body 20/28 after cleaning);
* favor_recall: body 27/28, chrome 10/41, metadata 2/4, the same run-on line;
* favor_precision: body 25/28 (the bulleted items lost), chrome 1/41, metadata 0/4;
* this reader: body 28/28, chrome left 3/41 (a welcome line, a 字体 widget),
  metadata 4/4.
* On the two long pages trafilatura and this reader both drop all navigation,
  sidebars and footers; trafilatura also drops the ``<h1>`` title and the
  metadata block.

Losing body text cannot be undone later, while chrome that a reader leaves in is
easier to recognise, so the reader is our own, with the structural rules that
trafilatura's results showed were needed:

* skipped: scripts, styles, forms' controls, ``nav``/``aside``/``footer`` (and a
  ``header`` outside the article), hidden elements (``hidden``, ``aria-hidden``,
  ``display:none``), and elements whose class or id names chrome (nav, menu,
  footer, sidebar, breadcrumb/position, share, comment, related, links, pager...);
* a block that is mostly link text (a menu, a related-articles list, 上一篇/下一篇)
  is dropped;
* a data table becomes one line per row (see ``tables``); a layout table, one whose
  cells hold paragraphs, is read as blocks;
* the metadata block's 发布机构/成文日期 lines (and 发布日期, 发文机关) are always
  kept, one a line, even when they sit in something that was dropped.
"""
from __future__ import annotations

import re

from .tables import table_lines

_SKIP_TAGS = {
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "select", "option",
    "textarea", "button", "input", "head", "nav", "footer", "aside", "menu", "dialog", "canvas", "audio", "video",
    "map", "title", "meta", "link",
}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "section", "article", "main", "header", "blockquote", "pre", "hr", "center", "figure", "figcaption",
    "form", "fieldset", "address", "caption", "tbody", "thead", "tfoot", "body", "html",
}
_CELL_BLOCKS = {"p", "div", "table", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                "blockquote", "pre", "dl"}
_CHROME_TOKENS = {
    "nav", "navbar", "navi", "navigation", "menu", "menus", "submenu", "footer", "foot", "sidebar", "side",
    "crumb", "crumbs", "breadcrumb", "breadcrumbs", "position", "location", "share", "sharing", "bdshare",
    "comment", "comments", "reply", "related", "relate", "recommend", "links", "friendlink", "flink",
    "toolbar", "tools", "topbar", "copyright", "login", "search", "banner", "ad", "ads", "advert", "pager",
    "pagination", "prevnext", "sitemap", "qrcode", "hotnews",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")

_META_LABELS = ("发布机构", "发文机关", "成文日期", "发布日期")
_ANY_LABEL = ("索引号", "主题分类", "发布机构", "发文机关", "成文日期", "发布日期", "文号", "发文字号", "名称", "标题",
              "来源", "有效性", "浏览次数", "体裁分类", "主题词", "公开方式", "公开范围", "信息来源")


def _spaced(label: str) -> str:
    return r"[ \t\u3000\u00a0]*".join(map(re.escape, label))


_META = re.compile(
    rf"({'|'.join(_spaced(l) for l in _META_LABELS)})[ \t\u3000\u00a0]*[：:][ \t\u3000\u00a0]*"
    rf"(.+?)(?=[ \t\u3000\u00a0]{{2,}}|[ \t\u3000\u00a0]*(?:{'|'.join(_spaced(l) for l in _ANY_LABEL)})"
    rf"[ \t\u3000\u00a0]*[：:]|$)",
    re.M,
)


def metadata_lines(text: str) -> list[str]:
    """'发布机构：…' and '成文日期：…' style lines found in a page's text, first of each label."""
    found: dict[str, str] = {}
    for m in _META.finditer(text):
        label = re.sub(r"[ \t\u3000\u00a0]", "", m.group(1))
        value = m.group(2).strip(" \t\u3000\u00a0：:")
        if value and label not in found and len(value) <= 40:
            found[label] = f"{label}：{value}"
    return [found[l] for l in _META_LABELS if l in found]


class _Walker:
    def __init__(self, keep_chrome: bool = False) -> None:
        self.keep_chrome = keep_chrome
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.sizes: dict = {}

    # -- text buffer
    def flush(self) -> None:
        text = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(self.buf)).strip()
        if text:
            self.lines.append(text)
        self.buf = []

    def add(self, text: str | None) -> None:
        if text:
            self.buf.append(text)

    # -- measurements
    def measure(self, el) -> tuple[int, int, int]:
        """(text length, link text length, sentence ends outside links) of an element, once per element."""
        if el in self.sizes:
            return self.sizes[el]
        own = (el.text or "").strip()
        total, links, stops = len(own), 0, _stops(own)
        for child in el:
            if _tag(child) is not None and not _skipped_tag(child):
                t, l, st = self.measure(child)
                total, links, stops = total + t, links + l, stops + st
            tail = (child.tail or "").strip()
            total, stops = total + len(tail), stops + _stops(tail)
        if _tag(el) == "a":
            links, stops = total, 0
        self.sizes[el] = (total, links, stops)
        return total, links, stops

    def is_chrome(self, el, inside_article: bool) -> bool:
        tag = _tag(el)
        if tag == "header" and not inside_article:
            return True
        if el.get("hidden") is not None or el.get("aria-hidden") == "true":
            return True
        if _HIDDEN_STYLE.search(el.get("style") or ""):
            return True
        if self.keep_chrome:
            return False
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if names.strip() and _CHROME_TOKENS & set(_TOKEN_SPLIT.split(names)):
            return True
        if tag in ("ul", "ol", "dl", "div", "table", "p", "section", "td", "span", "li", "tr", "center"):
            total, links, stops = self.measure(el)
            if links and links >= 0.6 * total and not stops:  # never a block that holds sentences
                return True
        return False

    # -- walking
    def walk(self, el, inside_article: bool = False) -> None:
        tag = _tag(el)
        if tag is None:  # comment or processing instruction
            return
        if _skipped_tag(el) or self.is_chrome(el, inside_article):
            return
        inside_article = inside_article or tag in ("article", "main")
        if tag == "table" and _is_data_table(el):
            self.flush()
            rows = [[_cell_text(c) for c in tr if _tag(c) in ("td", "th")] for tr in el.iter("tr")]
            self.lines.extend(table_lines(rows))
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        self.add(el.text)
        for child in el:
            self.walk(child, inside_article)
            self.add(child.tail)
        if block:
            self.flush()


def _stops(text: str) -> int:
    return sum(text.count(c) for c in "。！？")


def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _skipped_tag(el) -> bool:
    return _tag(el) in _SKIP_TAGS


def _cell_text(cell) -> str:
    parts: list[str] = []

    def visit(e) -> None:
        if _tag(e) is None or _skipped_tag(e):
            return
        if _tag(e) == "br":
            parts.append("\n")
        parts.append(e.text or "")
        for c in e:
            visit(c)
            parts.append(c.tail or "")

    visit(cell)
    return "".join(parts)


def _is_data_table(table) -> bool:
    """A table of facts (short cells, no paragraphs in them), not a page laid out in a table."""
    rows = [tr for tr in table.iter("tr")]
    if not rows:
        return False
    for tr in rows:
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            if any(_tag(d) in _CELL_BLOCKS for d in cell.iterdescendants()):
                return False
            if len(cell.text_content().strip()) > 200:
                return False
    return True


def _parse(markup: str):
    import lxml.html

    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)  # lxml refuses str input with an encoding declaration
    if not markup.strip():
        return None
    try:
        return lxml.html.document_fromstring(markup)
    except Exception:  # lxml.etree.ParserError on a page with nothing in it
        return None


def html_lines(markup: str, keep_chrome: bool = False) -> list[str]:
    root = _parse(markup)
    if root is None:
        return []
    w = _Walker(keep_chrome)
    w.walk(root)
    w.flush()
    return w.lines


def html_to_text(markup: str) -> str:
    """The page's text, one block a line, chrome dropped, its 发布机构/成文日期 lines kept."""
    lines = html_lines(markup)
    meta = metadata_lines("\n".join(html_lines(markup, keep_chrome=True)))
    have = "\n".join(lines)
    missing = [m for m in meta if re.sub(r"\s", "", m) not in re.sub(r"\s", "", have)]
    if missing:
        # Put them before the body, after the title line if the page starts with one.
        at = 1 if lines and not re.search(r"[，。；]", lines[0]) and len(lines[0]) <= 60 else 0
        lines[at:at] = missing
    return "\n".join(lines) + ("\n" if lines else "")
