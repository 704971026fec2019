"""Reading report files: any UTF-8 (or GB18030) .txt, .md or .html file.

A bad file (empty, binary, undecodable, too large) raises ``DocumentError`` with a
one-line message naming it; ``load_documents`` collects those and goes on.
"""
from __future__ import annotations

import hashlib
import html
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from .errors import DocumentError

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_BYTES = 20 * 1024 * 1024  # a government work report is well under 1 MB


@dataclass(frozen=True)
class Document:
    """One source file as text; ``text`` is what offsets in paragraphs point into."""

    source: str
    path: Path
    text: str
    encoding: str
    sha256: str
    markdown: bool


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the report files they hold, sorted by name."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES))
        elif p.exists():
            found.append(p)
        else:
            raise DocumentError(f"{p}: no such file or folder")
    return found


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _reads_as_chinese(text):
        return text, "gb18030"
    raise DocumentError(f"{name}: not UTF-8 or GB18030 text; save it as UTF-8 and ingest again")


def _reads_as_chinese(text: str) -> bool:
    """GB18030 decodes almost any bytes; real Chinese text is mostly common (GB2312 level-1) characters."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return True
    common = 0
    for c in han[:5000]:
        try:
            common += 0xB0 <= c.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            pass
    return common >= 0.6 * min(len(han), 5000)


def _looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, one line per block element."""

    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"}
    _SKIP = {"script", "style", "noscript", "nav", "footer", "header", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Strip tags, scripts and styles; keep block structure as line breaks."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    return re.sub(r"\n\s*\n+", "\n\n", text)


def load_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one file; raise DocumentError (one line, naming the file) when unusable."""
    path = Path(path)
    name = path.name
    if path.suffix.lower() not in SUFFIXES:
        raise DocumentError(f"{name}: unsupported file type; use .txt, .md or .html")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                f"{name}: {size / 1e6:.0f} MB is too large for a report (limit {max_bytes / 1e6:.0f} MB); split it"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{name}: cannot read ({exc.strerror})") from None
    if not raw.strip():
        raise DocumentError(f"{name}: the file is empty")
    if _looks_binary(raw):
        raise DocumentError(f"{name}: looks like a binary file, not report text")
    text, encoding = _decode(raw, name)
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    return Document(
        source=name,
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        markdown=path.suffix.lower() in (".md", ".markdown") or bool(re.search(r"(?m)^#{1,6} ", text)),
    )


def load_documents(paths: Iterable[Path]) -> tuple[list[Document], list[DocumentError]]:
    """Load every file it can; return the documents and the per-file errors."""
    docs: list[Document] = []
    errors: list[DocumentError] = []
    for path in discover(paths):
        try:
            docs.append(load_document(path))
        except DocumentError as exc:
            log.info("%s", exc)
            errors.append(exc)
    return docs, errors
