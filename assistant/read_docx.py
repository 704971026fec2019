"""A Word .docx -> its text: body paragraphs in order, one a line; tables row by row
(``tables``).  python-docx (MIT) reads the XML; headers, footers and comments are
not part of the text.  Word has no fixed pages, so a .docx has none.
"""
from __future__ import annotations

import zipfile

from .errors import DocumentError
from .tables import table_lines

MAX_UNPACKED = 200 * 1024 * 1024  # a report's document.xml is a few MB; refuse zip bombs


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text(el) -> str:
    """The visible text under an element: runs in hyperlinks, fields, content controls and
    tracked insertions too; not deleted text, nor the fallback copy of a text box."""
    parts: list[str] = []

    def walk(e) -> None:
        tag = e.tag
        if not isinstance(tag, str) or tag == _MC_FALLBACK or tag == f"{_W}del":
            return
        if tag == f"{_W}t":
            parts.append(e.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}p" and parts and parts[-1] != "\n":
            parts.append("\n")  # a paragraph inside a text box
        for child in e:
            walk(child)

    for child in el:
        walk(child)
    return "".join(parts)


def _cell_text(cell) -> str:
    return "\n".join(_text(p) for p in cell._tc.iter(f"{_W}p"))


def _table(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell appears once per grid column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
        rows.append(cells)
    return table_lines(rows)


def read_docx(path, name: str) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                raise DocumentError(f"{name}: not a Word .docx document (no word/document.xml inside)")
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise DocumentError(f"{name}: unpacks to more than {MAX_UNPACKED // 2**20} MB; not a report")
    except zipfile.BadZipFile:
        raise DocumentError(f"{name}: not a readable .docx file (an old .doc or a damaged file? "
                            "save it as .docx or text)") from None
    import docx
    from docx.table import Table

    lines: list[str] = []

    def body(parent, document) -> None:
        for child in parent.iterchildren():
            if child.tag == f"{_W}p":
                lines.extend(t.strip() for t in _text(child).split("\n") if t.strip())
            elif child.tag == f"{_W}tbl":
                lines.extend(_table(Table(child, document)))
            elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"):
                body(child, document)  # content controls and the like hold paragraphs too

    try:
        document = docx.Document(str(path))
        body(document.element.body, document)
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(f"{name}: not a readable .docx file ({type(exc).__name__})") from None
    return "\n".join(lines) + ("\n" if lines else "")
