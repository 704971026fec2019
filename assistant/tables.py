"""Table rows as report lines, the same way for PDF, Word and HTML tables.

* A cell that is a label ("发布机构：") is joined to the cell after it, and a row made
  only of label/value pairs gives one line per pair ("发布机构：合肥市人民政府办公室",
  "成文日期：2025-01-15"): a page's metadata block stays one fact a line.
* Any other row is one line, its cells separated by a space, ending in "；" (the last
  row in "。"), so the cleaner keeps a table as one paragraph whose figures stay
  next to their row labels ("地区生产总值 12757.4亿元；粮食总产量 356.8万吨。").
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

_CJK_CHAR = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_LABEL = re.compile(r"^[^：:]{1,12}[：:]$")
_END = "。；;，,、：:"


def cell_text(text: str | None) -> str:
    """One line for a cell: its own line breaks are layout, not meaning."""
    if not text:
        return ""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    out = ""
    for ln in lines:
        if out and not (re.search(_CJK_CHAR + "$", out) or re.match(_CJK_CHAR, ln)):
            out += " "
        out += ln
    return re.sub(r"[ \t\u00a0]+", " ", out).strip()


def _pairs(cells: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(cells):
        c = cells[i]
        if _LABEL.match(c) and i + 1 < len(cells) and not _LABEL.match(cells[i + 1]):
            out.append(c + cells[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return out


def is_meta_pair(cell: str) -> bool:
    return bool(re.match(r"^[^：:]{1,12}[：:]\S", cell))


# a column header that says what its figures are: "2023年完成", "2024年目标", "预期目标"
_PERIOD_HEADER = re.compile(r"(?:19|20)\d\d\s*年|目标|完成|预期|计划|实际")
_REMARK = re.compile(r"备注|说明|注释|注")


_LABEL_HEADER = re.compile(r"序号|编号|指标(?:名称)?|项目|名称|(?:计量)?单位|类别")
_UNIT_HEADER = re.compile(r"(?:计量)?单位")
_KIND_HEADER = re.compile(r"(?:指标)?属性|性质")  # 预期性/约束性: says nothing about the figure


def _labelled(cells: list[str], header: list[str], unit: str = "") -> list[str]:
    """A data row with each figure under a year or target column led by its header
    ("地区生产总值增长 2023年完成7.6%，2024年目标7.5%左右"), so its year and kind are read;
    bare numbers take the row's unit (a 单位 column, or "城镇新增就业（人）")."""
    named = re.search(r"[（(]((?:万|亿)?[^\d（）()%]{1,3}|%)[）)]$", cells[0])  # "城镇新增就业（人）"
    unit = named.group(1) if named else unit
    out = []
    for i, c in enumerate(cells):
        h = header[i] if i < len(header) else ""
        percent = re.search(r"%|百分比", h)  # "增长%", "比上年增长（%）": the column's own unit
        if (unit or percent) and re.fullmatch(r"\d+(?:\.\d+)?(?:以上|左右|以内)?", c):
            c = re.sub(r"^([\d.]+)", lambda m: m.group(1) + ("%" if percent else unit), c)
            c = ("增长" if percent and re.search(r"增长|增速|增幅", h) else "") + c
        out.append(h + c if h and _PERIOD_HEADER.search(h) and re.search(r"\d", c) else c)
    labels = [c for c, o in zip(cells, out) if c == o and c]
    figures = [o for c, o in zip(cells, out) if c != o]
    return [" ".join(labels) + " " + "，".join(figures)] if figures else [c for c in out if c]


def _is_header(cells: list[str]) -> bool:
    """"指标 | 2023年完成 | 2024年目标", "序号 | 指标名称 | 单位 | 2024年预期目标 | 属性"."""
    if any(re.search(r"\d%|\d[万亿]", c) for c in cells):
        return False
    periods = sum(bool(_PERIOD_HEADER.search(c)) for c in cells)
    return periods >= 2 or periods == 1 and any(_LABEL_HEADER.fullmatch(c) for c in cells)


def table_lines(rows: Iterable[Sequence[str | None]]) -> list[str]:
    """Lines for a table given as rows of cell texts (None for a cell merged into its neighbour)."""
    rendered: list[tuple[str, bool]] = []  # (line, is a data row)
    header: list[str] = []  # the headers of the columns a data row keeps
    columns: list[str] = []  # all headers but a leading 序号
    numbered = False  # a first column of row numbers (序号), left out
    remark = unit_at = -1  # the columns of remarks (备注) and units (单位)
    kept: list[int] = []  # the columns a data row keeps
    for row in rows:
        cells: list[str] = []  # "" holds an empty cell's place under its header
        for c in row:
            t = cell_text(c)
            if c is not None and not (t and cells and cells[-1] == t):  # merged cells repeat their text
                cells.append(t)
        if not any(cells):
            continue
        cells = _pairs(cells)
        if all(is_meta_pair(c) for c in cells if c):
            rendered.extend((c, False) for c in cells if c)
            continue
        if header and len(cells) != len(columns) + numbered:
            cells = [c for c in cells if c]  # a row that does not fit the columns: only its texts
        if not header and _is_header([c for c in cells if c]):
            cells = [c for c in cells if c]
            numbered = cells[0] in ("序号", "编号")
            columns = cells[1:] if numbered else cells
            remark = next((i for i, h in enumerate(columns) if _REMARK.fullmatch(h)), -1)
            unit_at = next((i for i, h in enumerate(columns) if _UNIT_HEADER.fullmatch(h)), -1)
            kept = [i for i, h in enumerate(columns)
                    if not (_REMARK.fullmatch(h) or _UNIT_HEADER.fullmatch(h) or _KIND_HEADER.fullmatch(h))]
            header = cells = [columns[i] for i in kept]
        elif header and (not numbered or re.fullmatch(r"\d{1,2}", cells[0])):
            body = cells[1:] if numbered else cells
            if len(body) == len(columns):
                note = body[remark] if remark >= 0 else ""
                cells = _labelled([body[i] for i in kept], header, body[unit_at] if unit_at >= 0 else "")
                if note:
                    cells[-1] += f"（{note}）"  # a remark (备注) goes after the row's figures
        rendered.append((" ".join(c for c in cells if c), True))
    data = [i for i, (_, is_data) in enumerate(rendered) if is_data]
    if len(data) == 1 and len(rendered) == 1:
        return [rendered[0][0]]  # a one-row, layout-only table: leave its text as it is
    out: list[str] = []
    for i, (line, is_data) in enumerate(rendered):
        if is_data:
            line = line.rstrip(_END) + ("。" if i == data[-1] else "；")
        out.append(line)
    return out
