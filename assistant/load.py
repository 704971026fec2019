"""Reading report files: text (.txt, .md), web pages (.html), PDF with a text layer and
Word (.docx), in simplified or traditional Chinese.

* Text files: UTF-8 (with or without BOM), UTF-16 LE/BE (with or without BOM),
  GB18030 and Big5 (``decode``); Shift-JIS, Latin-1 or binary bytes are refused.
* Web pages: our own reader, chrome dropped, 发布机构/成文日期 kept (``read_html``).
* PDF: pdfplumber, page by page, running headers and page numbers dropped, one
  line per paragraph (``read_pdf``); a scan with no text layer is refused.
* Word: python-docx, paragraphs and table rows in order (``read_docx``).
* Every format: pinyin that broken scrapes put after characters ("發(fā)展") is
  removed, and traditional text is converted to simplified for indexing with the
  document's own characters kept alongside, aligned character for character
  (``simplify``).

A bad file (empty, binary, undecodable, too large, a scan) raises ``DocumentError``
with a one-line message naming it; ``load_documents`` collects those and goes on.
"""
from __future__ import annotations

import bisect
import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .decode import decode_html, decode_text, looks_binary
from .errors import DocumentError
from .read_html import html_to_text
from .simplify import simplify, strip_pinyin

log = logging.getLogger(__name__)

__all__ = ["Document", "SUFFIXES", "MAX_BYTES", "discover", "html_to_text", "load_document", "load_documents"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
MAX_BYTES = 20 * 1024 * 1024  # a government work report is well under 1 MB (a PDF of one, a few MB)
_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf",
            ".docx": "docx"}


@dataclass(frozen=True)
class Document:
    """One source file as text; ``text`` is what offsets in paragraphs point into.

    ``text`` is simplified Chinese (what is indexed); ``original`` is the document's own
    text when that differs (traditional characters), the same length as ``text`` so an
    offset into one is the same place in the other; None when nothing was converted.
    ``pages`` holds the offset in ``text`` where each page starts (page 1 at 0) for
    paged formats (PDF) and is empty for the others.  ``place`` and ``year`` are a
    user's overrides (empty/None: worked out from the text).
    """

    source: str
    path: Path
    text: str
    encoding: str
    sha256: str
    markdown: bool
    format: str = "txt"
    pages: tuple[int, ...] = ()
    original: str | None = None
    place: str = ""
    year: int | None = None

    def page_at(self, offset: int) -> int | None:
        """1-based page holding ``text[offset]``; None for a format without pages."""
        if not self.pages or offset < 0:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    def shown(self, start: int, end: int) -> str:
        """``text[start:end]`` as the document writes it (its own characters)."""
        return (self.original if self.original is not None else self.text)[start:end]


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


def _read_pages(path: Path, raw: bytes, fmt: str, name: str) -> tuple[list[str], str]:
    """(text of each page — one item for formats without pages, encoding)."""
    if fmt == "pdf":
        if b"%PDF-" not in raw[:1024]:
            raise DocumentError(f"{name}: not a PDF file (no %PDF header); check the file")
        from .read_pdf import read_pdf

        return read_pdf(path, name), "pdf"
    if fmt == "docx":
        from .read_docx import read_docx

        return [read_docx(path, name)], "docx"
    if fmt == "html":
        text, encoding = decode_html(raw, name)
        return [html_to_text(text)], encoding
    text, encoding = decode_text(raw, name)
    return [text], encoding


def load_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one file; raise DocumentError (one line, naming the file) when unusable."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{name}: unsupported file type; use .txt, .md, .html, .pdf or .docx")
    fmt = _FORMATS[suffix]
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
    if fmt in ("txt", "md", "html") and looks_binary(raw) and raw[:4] in (b"%PDF", b"PK\x03\x04"):
        kind = "a PDF" if raw.startswith(b"%PDF") else "a zip archive (.docx?)"
        raise DocumentError(f"{name}: looks like {kind}, not text; give it its proper suffix")
    page_texts, encoding = _read_pages(path, raw, fmt, name)
    page_texts = [strip_pinyin(t.replace("\r\n", "\n") if fmt in ("pdf", "docx") else t) for t in page_texts]
    pages: list[int] = []
    pos = 0
    for t in page_texts:
        pages.append(pos)
        pos += len(t) + 1
    raw_text = "\n".join(page_texts)
    if not raw_text.strip():
        raise DocumentError(f"{name}: the file is empty" if fmt in ("txt", "md") else f"{name}: no text in it")
    text, original = simplify(raw_text)
    return Document(
        source=name,
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        markdown=fmt == "md" or (fmt in ("txt", "html") and bool(re.search(r"(?m)^#{1,6} ", text))),
        format=fmt,
        pages=tuple(pages) if fmt == "pdf" else (),
        original=original,
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
