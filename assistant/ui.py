"""The Gradio UI: streamed answers, numbered sources with the quoted sentence
highlighted (and the page, for PDFs), follow-up questions, feedback, a ``/chat`` API
endpoint, and a document library tab: upload reports (.txt .md .html .pdf .docx),
see the place and year detected for each, correct them, remove documents.

    from assistant import Assistant
    from assistant.ui import launch
    launch(Assistant())                      # http://127.0.0.1:7860

Scripted use of a running app::

    from gradio_client import Client
    Client("http://127.0.0.1:7860").predict("2023年全市生产总值达到多少亿元？", api_name="/chat")
"""
from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import html  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import queue  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import unicodedata  # noqa: E402
from dataclasses import asdict  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Iterator  # noqa: E402

import gradio as gr  # noqa: E402

from .answer import EXTRACTIVE_HINT, Answer, Assistant, Citation  # noqa: E402
from .errors import AssistantError, ConfigError  # noqa: E402

log = logging.getLogger(__name__)

TITLE = "政府工作报告问答"
EXAMPLES = [
    "2023年全市生产总值达到多少亿元？",
    "2025年青岛市生产总值的预期增长目标是多少？",
    "西海岸新区2024年地区生产总值增长目标是多少？",
    "How large was Qingdao's GDP in 2023?",
    "2024年和2025年青岛一般公共预算收入的增长目标分别是多少？",
    "2025年计划新建的充电桩比2024年多多少个？",
    "2023年青岛市常住人口是多少？",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
FEEDBACK_FILE = "feedback.jsonl"
INTERNAL_ERROR = "出错了：内部错误，已记录日志，请稍后重试。"
MAX_HISTORY = 8  # earlier questions kept per session (the Assistant uses the last 4)

CSS = """
.ra-answer .ra-cite { font-weight: 600; color: var(--color-accent, #2563eb); }
.ra-sources { margin-top: .6em; border-top: 1px solid rgba(128,128,128,.35); padding-top: .4em; }
.ra-source { margin: .35em 0 .6em 0; }
.ra-source mark { background: #fde68a; color: #111; padding: 0 .1em; border-radius: 2px; }
"""

# Gradio's page refuses a file over ``max_file_size`` with an English toast: say it in Chinese.
HEAD = """<script>
(() => {
  const re = /File\\(s\\) exceed the maximum allowed size of ([\\d.]+) ?mb:?\\s*(.*)/i;
  const fix = (t) => {
    const m = re.exec(t.nodeValue || "");
    if (m) t.nodeValue = "文件过大，未上传：" + m[2] + "（每个文件不超过 " + parseFloat(m[1]) + " MB）";
  };
  const walk = (n) => {
    if (n.nodeType === 3) return fix(n);
    if (n.nodeType !== 1) return;
    const w = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) fix(w.currentNode);
  };
  new MutationObserver((ms) => ms.forEach((m) => {
    if (m.type === "characterData") fix(m.target); else m.addedNodes.forEach(walk);
  })).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
})();
</script>"""

# Inline styles as well as classes: messages keep their look even if the app is
# launched without CSS (``build_app(...).launch()``).
_S_ANSWER = "line-height:1.6"
_S_ABSTAIN = ("border-left:4px solid #d97706;background:rgba(217,119,6,.12);"
              "padding:.4em .7em;border-radius:4px")
_S_ERROR = ("border-left:4px solid #dc2626;background:rgba(220,38,38,.10);"
            "padding:.4em .7em;border-radius:4px")
_S_SOURCES = "margin-top:.6em;border-top:1px solid rgba(128,128,128,.35);padding-top:.4em"
_S_SOURCE = "margin:.35em 0 .6em 0"
_S_META = "font-size:.85em;opacity:.8"
_S_PARA = ("margin:.2em 0 0 0;padding:.3em .6em;border-left:3px solid rgba(128,128,128,.45);"
           "font-size:.92em")
_S_MARK = "background:#fde68a;color:#111;padding:0 .1em;border-radius:2px"
_S_NOTE = "font-size:.8em;opacity:.75;margin-top:.4em"
_MARKER = re.compile(r"\[(\d{1,2})\]")

_feedback_lock = threading.Lock()


# --- rendering -------------------------------------------------------------------
def _esc(text: object) -> str:
    """HTML-escaped text with line breaks as <br> (no blank lines: the chat renders
    messages as Markdown, and one HTML block must not be split by an empty line)."""
    out = html.escape(str(text), quote=True)
    out = out.replace("\r\n", "\n").replace("\r", "\n")
    return out.replace("\n", "<br>")


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) or "未知错误"


def _years(years: list[int]) -> str:
    return "、".join(str(y) for y in years) + "年" if years else ""


def source_label(c: Citation) -> str:
    """"title · region · years · section · 第N页" (plain text; the page for PDFs)."""
    page = getattr(c, "page", None)
    parts = [f"《{c.title}》" if c.title else "", c.region, _years(c.years), c.section,
             f"第{page}页" if isinstance(page, int) and not isinstance(page, bool) and page > 0 else ""]
    return " · ".join(p for p in parts if p)


def highlight(c: Citation) -> str:
    """The cited paragraph, escaped, with the quoted sentence in <mark>."""
    text = c.text or ""
    qs, qe = c.quote_start, c.quote_end
    if not (isinstance(qs, int) and isinstance(qe, int) and 0 <= qs < qe <= len(text)):
        at = text.find(c.quote) if c.quote else -1
        qs, qe = (at, at + len(c.quote)) if at >= 0 else (0, 0)
    if qe <= qs:
        return _esc(text)
    return (_esc(text[:qs]) + f'<mark style="{_S_MARK}">' + _esc(text[qs:qe]) + "</mark>"
            + _esc(text[qe:]))


def render_sources(citations: list[Citation]) -> str:
    if not citations:
        return ""
    items = []
    for c in citations:
        items.append(
            f'<div class="ra-source" style="{_S_SOURCE}">'
            f'<div><b>[{c.n}]</b> {_esc(source_label(c))}'
            f' <span style="{_S_META}">（{_esc(c.source)}）</span></div>'
            f'<div class="ra-paragraph" style="{_S_PARA}">{highlight(c)}</div></div>'
        )
    return (f'<div class="ra-sources" style="{_S_SOURCES}"><div style="{_S_META}"><b>来源</b></div>'
            + "".join(items) + "</div>")


def _answer_text(text: str) -> str:
    """Escaped answer text with the [n] markers styled."""
    return _MARKER.sub(lambda m: f'<span class="ra-cite"><b>[{m.group(1)}]</b></span>', _esc(text))


def render_notes(notes: list[str]) -> str:
    return "".join(f'<div class="ra-note" style="{_S_NOTE}">注：{_esc(n)}</div>' for n in notes if n)


def render_answer(answer: Answer) -> str:
    """The final chat message (HTML): the checked answer, its sources, notes."""
    meta = f'<div class="ra-meta" style="{_S_NOTE}">{_esc(answer.backend)} · {answer.latency_ms / 1000:.1f} 秒</div>'
    if answer.abstained:
        body = (f'<div class="ra-abstain" style="{_S_ABSTAIN}"><b>⚠ 未找到答案</b><br>'
                f"{_esc(answer.text)}</div>")
    else:
        body = f'<div class="ra-answer-text">{_answer_text(answer.text)}</div>'
    return (f'<div class="ra-answer" style="{_S_ANSWER}">{body}{render_sources(answer.citations)}'
            f"{render_notes(answer.notes)}{meta}</div>")


def render_draft(text: str) -> str:
    return f'<div class="ra-draft" style="{_S_ANSWER};opacity:.85">{_esc(text)} ▌</div>'


def render_error(message: str) -> str:
    return f'<div class="ra-error" style="{_S_ERROR}">⚠ {_esc(_one_line(message))}</div>'


def render_question(question: str) -> str:
    """The user's message, escaped, in one HTML block (so Markdown leaves it as typed)."""
    body = _esc(question) if question.strip() else '<i style="opacity:.7">（空问题）</i>'
    return f'<div class="ra-question">{body}</div>'


def render_plain(answer: Answer) -> str:
    """The answer as plain text with numbered sources (for the API)."""
    lines = [answer.text]
    if answer.citations:
        lines += ["", "来源："]
        for c in answer.citations:
            lines.append(f"[{c.n}] {source_label(c)}（{c.source}）")
            lines.append(f"    “{c.quote}”")
    lines += [f"注：{n}" for n in answer.notes]
    return "\n".join(lines)


def backend_banner(assistant: Assistant) -> str:
    desc = assistant.describe_backend()
    out = f"<div><b>回答方式：</b>{_esc(desc)}</div>"
    if assistant.backend_name() == "extractive":
        out += f'<div style="{_S_NOTE}">{_esc(EXTRACTIVE_HINT)}</div>'
    return out


# --- feedback ----------------------------------------------------------------------
def append_feedback(path: str | Path, record: dict[str, Any]) -> None:
    """Append one JSON line: a single os.write to an O_APPEND file, under a lock."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    with _feedback_lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, data)
            while written < len(data):  # short writes are rare on regular files
                written += os.write(fd, data[written:])
        finally:
            os.close(fd)


def feedback_record(entry: dict[str, Any] | None, liked: object) -> dict[str, Any]:
    entry = entry or {}
    vote = "up" if liked is True else "down" if liked is False else str(liked)
    return {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "vote": vote,
        "question": entry.get("question", ""),
        "answer": entry.get("answer", ""),
        "citations": entry.get("citations", []),
        "abstained": entry.get("abstained"),
        "backend": entry.get("backend", ""),
    }


# --- the document library ------------------------------------------------------------
UPLOAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
DEFAULT_MAX_UPLOAD_MB = 20
DEFAULT_MAX_UPLOAD_FILES = 20
DOC_HEADERS = ["文档", "地区", "年份", "类型", "段落", "数字", "添加时间"]
LIBRARY_METHODS = ("documents", "add_documents", "remove_document", "correct_document")
KIND_LABELS = {"report": "政府工作报告", "summary": "图解/摘要", "news": "新闻报道"}
_S_OK = ("border-left:4px solid #16a34a;background:rgba(22,163,74,.10);"
         "padding:.4em .7em;border-radius:4px")
_S_BUSY = ("border-left:4px solid #2563eb;background:rgba(37,99,235,.08);"
           "padding:.4em .7em;border-radius:4px")
_NAME_BAD = re.compile(r"[\\/]")


def has_library(assistant: object) -> bool:
    """Whether ``assistant`` manages a document library (upload, list, correct, remove)."""
    return all(callable(getattr(assistant, m, None)) for m in LIBRARY_METHODS)


def upload_limits(config: object) -> tuple[float, int]:
    """(max MB per file, max files per upload) from the config, with defaults."""
    mb = getattr(config, "max_upload_mb", None) or DEFAULT_MAX_UPLOAD_MB
    files = getattr(config, "max_upload_files", None) or DEFAULT_MAX_UPLOAD_FILES
    return float(mb), int(files)


def upload_types(config: object) -> tuple[str, ...]:
    """The suffixes an upload may have (``Config.upload_types``: ".txt,.md,...")."""
    raw = getattr(config, "upload_types", None)
    if not isinstance(raw, str) or not raw.strip():
        return UPLOAD_SUFFIXES
    found = ["." + t.strip().lower().lstrip(".") for t in raw.replace(" ", ",").split(",") if t.strip(" .")]
    return tuple(dict.fromkeys(found)) or UPLOAD_SUFFIXES


_STAGES = [
    (re.compile(r"^reading files?$"), "读取文件"),
    (re.compile(r"^cleaning$"), "清洗文本、识别地区和年份"),
    (re.compile(r"^embedding (\d+)/(\d+) passages$"), r"向量化 \1/\2 段"),
    (re.compile(r"^embedding (\d+) passages$"), r"向量化 \1 段"),
    (re.compile(r"^saving$"), "保存索引"),
    (re.compile(r"^building the keyword index$"), "建立关键词索引"),
    (re.compile(r"^done$"), "完成"),
]


def stage_text(stage: object) -> str:
    """The library's progress stage in Chinese (unknown stages as they are)."""
    text = _one_line(stage)
    for pattern, zh in _STAGES:
        if pattern.match(text):
            return pattern.sub(zh, text)
    return text


def safe_name(name: object) -> str:
    """A file name fit to show and to save under: the last path component, without
    control or format characters, at most 120 characters (keeping the suffix)."""
    text = str(name or "")
    text = _NAME_BAD.split(text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split()).strip(" .")
    if len(text) > 120:
        stem, dot, suffix = text.rpartition(".")
        text = (stem[: 119 - len(suffix)] + dot + suffix) if dot and len(suffix) <= 10 else text[:120]
    return text or "未命名"


def _fmt_mb(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _fmt_limit(mb: float) -> str:
    return f"{mb:g} MB"


def check_uploads(files: list[str], max_mb: float, max_files: int, suffixes: tuple[str, ...] = UPLOAD_SUFFIXES,
                  ) -> tuple[list[tuple[str, str]], list[str]]:
    """Split uploaded temp paths into [(path, shown name)] to ingest and the messages
    for the ones refused (type, size, duplicate name).  Raises ``ValueError`` with
    the message when there are too many files."""
    if len(files) > max_files:
        raise ValueError(f"一次最多上传 {max_files} 个文件（这次选了 {len(files)} 个），请分批上传。")
    accepted: list[tuple[str, str]] = []
    refused: list[str] = []
    seen: set[str] = set()
    for path in files:
        name = safe_name(Path(str(path)).name)
        suffix = Path(name).suffix.lower()
        if suffix not in suffixes:
            refused.append(f"{name}：不支持的文件类型（{suffix or '无扩展名'}），支持 " + " ".join(suffixes))
            continue
        try:
            size = os.path.getsize(path)
        except OSError:
            refused.append(f"{name}：上传的文件已不存在，请重新上传")
            continue
        if size > max_mb * 1024 * 1024:
            refused.append(f"{name}：文件过大（{_fmt_mb(size)}，上限 {_fmt_limit(max_mb)}）")
            continue
        if name.lower() in seen:
            refused.append(f"{name}：同名文件已在这次上传中，只保留第一个")
            continue
        seen.add(name.lower())
        accepted.append((str(path), name))
    return accepted, refused


def parse_year(text: object) -> int | None:
    """'2025' or '2025年' -> 2025; empty -> None; anything else raises ValueError."""
    raw = str(text or "").strip().removesuffix("年").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1949 <= int(raw) <= 2100:
        raise ValueError(f"年份“{str(text).strip()[:20]}”无效：请填写四位数年份，如 2025")
    return int(raw)


def _kind(doc: object) -> str:
    """"政府工作报告 · PDF" (and "内置" for a bundled report, where the library says so)."""
    kind = str(getattr(doc, "kind", "") or "")
    parts = [KIND_LABELS.get(kind.lower(), kind),
             str(getattr(doc, "format", "") or "").lstrip(".").upper(),
             "内置" if getattr(doc, "bundled", False) is True else ""]
    return " · ".join(p for p in parts if p)


def _added(doc: object) -> str:
    added = str(getattr(doc, "added", "") or "")
    return added.replace("T", " ")[:16]


def doc_place(doc: object) -> str:
    place = getattr(doc, "place_override", None) or getattr(doc, "place", "") or ""
    return str(place)


def doc_year(doc: object) -> int | None:
    year = getattr(doc, "year_override", None)
    return year if year is not None else getattr(doc, "year", None)


def doc_rows(docs: list[object]) -> list[list[object]]:
    """The documents panel's rows; corrected values are marked."""
    rows = []
    for d in docs:
        place = doc_place(d) or "未识别"
        if getattr(d, "place_override", None):
            place += "（已更正）"
        year = doc_year(d)
        year_text = f"{year}" if year else "未识别"
        if getattr(d, "year_override", None) is not None:
            year_text += "（已更正）"
        rows.append([str(getattr(d, "name", "")), place, year_text, _kind(d),
                     getattr(d, "paragraphs", 0), getattr(d, "figures", 0), _added(d)])
    return rows


def _status(kind: str, html_body: str) -> str:
    style = {"ok": _S_OK, "busy": _S_BUSY, "error": _S_ERROR, "warn": _S_ABSTAIN}[kind]
    return f'<div class="ra-status ra-status-{kind}" style="{style}">{html_body}</div>'


def render_progress(stage: str, fraction: float, names: list[str], elapsed: float) -> str:
    pct = max(0.0, min(1.0, float(fraction or 0.0)))
    return _status("busy", (
        f"<b>正在处理</b> {_esc('、'.join(names))}<br>"
        f'<progress class="ra-progress" max="100" value="{pct * 100:.0f}" style="width:60%"></progress>'
        f" {pct * 100:.0f}% · {_esc(stage_text(stage) if stage else '处理中')} · {elapsed:.0f} 秒"))


def render_add_report(report: object, refused: list[str], docs: list[object]) -> str:
    """The upload summary: added/replaced (with the place and year detected), unchanged, skipped."""
    by_name = {str(getattr(d, "name", "")): d for d in docs}

    def described(name: str) -> str:
        d = by_name.get(name)
        if d is None:
            return _esc(name)
        year = doc_year(d)
        facts = " · ".join(x for x in [doc_place(d) or "地区未识别", f"{year}年" if year else "年份未识别",
                                         f"{getattr(d, 'paragraphs', 0)} 段"] if x)
        return f"{_esc(name)}（{_esc(facts)}）"

    lines = []
    added = list(getattr(report, "added", []) or [])
    replaced = list(getattr(report, "replaced", []) or [])
    unchanged = list(getattr(report, "unchanged", []) or [])
    skipped = list(refused) + list(getattr(report, "skipped", []) or [])
    if added:
        lines.append("<b>已添加：</b>" + "；".join(described(n) for n in added))
    if replaced:
        lines.append("<b>已替换（内容有变）：</b>" + "；".join(described(n) for n in replaced))
    if unchanged:
        lines.append("<b>未变化（已在文档库中）：</b>" + "；".join(_esc(n) for n in unchanged))
    if skipped:
        lines.append("<b>未添加：</b>" + "<br>".join(_esc(_one_line(s)) for s in skipped))
    seconds = getattr(report, "seconds", None)
    if isinstance(seconds, (int, float)):
        lines.append(f'<span style="{_S_NOTE}">用时 {seconds:.1f} 秒。新文档从下一个问题起参与回答。</span>')
    some = bool(added or replaced or unchanged)
    kind = "error" if not some else "warn" if skipped else "ok"
    return _status(kind, "<br>".join(lines) or "没有文件被处理。")


def render_library_summary(docs: list[object]) -> str:
    return (f'<div style="{_S_META}">文档库共 {len(docs)} 篇。'
            "点选表格中的一行，可更正它的地区、年份，或把它删除。</div>")


class _Upload:
    """One upload, run by a worker thread so that it finishes even if the page is closed;
    the page follows it through ``events``."""

    def __init__(self, assistant: Assistant, files: list[tuple[str, str]], place: str | None,
                 year: int | None, lock: threading.Lock) -> None:
        self.events: queue.Queue[tuple] = queue.Queue()
        self._assistant = assistant
        self._place, self._year, self._lock = place, year, lock
        self._dir = Path(tempfile.mkdtemp(prefix="ra-upload-"))
        self.paths: list[Path] = []
        try:
            for src, name in files:  # our own copy, under the sanitised original name
                dst = self._dir / name
                shutil.copyfile(src, dst)
                self.paths.append(dst)
        except OSError:
            shutil.rmtree(self._dir, ignore_errors=True)
            raise
        self.thread = threading.Thread(target=self._run, name="library-upload", daemon=True)

    def start(self) -> "_Upload":
        self.thread.start()
        return self

    def _progress(self, stage: object, fraction: object = 0.0) -> None:
        try:
            self.events.put(("progress", str(stage), float(fraction)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.events.put(("progress", str(stage), 0.0))

    def _hide_dir(self, text: object) -> str:
        """``text`` without our temp directory (messages name files by their names only)."""
        return str(text).replace(f"{self._dir}{os.sep}", "").replace(str(self._dir), "")

    def _run(self) -> None:
        try:
            if not self._lock.acquire(blocking=False):
                self.events.put(("progress", "等待其他上传完成", 0.0))
                self._lock.acquire()
            try:
                self.events.put(("progress", "读取文件", 0.0))
                report = self._assistant.add_documents(  # type: ignore[attr-defined]
                    [str(p) for p in self.paths], place=self._place, year=self._year,
                    progress=self._progress)
            finally:
                self._lock.release()
            for field_name in ("skipped", "added", "replaced", "unchanged"):
                values = getattr(report, field_name, None)
                if isinstance(values, list):
                    setattr(report, field_name, [self._hide_dir(v) for v in values])
            self.events.put(("done", report))
        except AssistantError as exc:
            self.events.put(("error", "上传失败：" + self._hide_dir(_one_line(exc))))
        except Exception:
            log.exception("upload of %s failed", [p.name for p in self.paths])
            self.events.put(("error", "上传失败：内部错误，已记录日志，请稍后重试。"))
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)


# --- the app -----------------------------------------------------------------------
def _new_session() -> dict[str, Any]:
    # questions: earlier questions (the Assistant's ``history``);
    # answers: chat message index -> what the feedback record needs
    return {"questions": [], "answers": {}}


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat app for ``assistant`` (not launched; see ``launch``)."""
    feedback_path = Path(assistant.config.data_dir) / FEEDBACK_FILE

    def respond(message: str, chat: list[dict] | None, session: dict[str, Any] | None
                ) -> Iterator[tuple[list[dict], str, dict[str, Any]]]:
        chat = list(chat or [])
        session = session or _new_session()
        question = message if isinstance(message, str) else ""
        chat.append({"role": "user", "content": render_question(question)})
        chat.append({"role": "assistant", "content": render_draft("")})
        index = len(chat) - 1
        yield chat, "", session
        entry: dict[str, Any] = {"question": question}
        draft = ""
        final: Answer | None = None
        try:
            for piece in assistant.stream(question, history=list(session["questions"])):
                if isinstance(piece, Answer):
                    final = piece
                elif piece:
                    draft += piece
                    chat[index] = {"role": "assistant", "content": render_draft(draft)}
                    yield chat, "", session
            if final is None:
                raise RuntimeError("the assistant returned no answer")
            chat[index] = {"role": "assistant", "content": render_answer(final)}
            entry.update(answer=final.text, abstained=final.abstained, backend=final.backend,
                         citations=[asdict(c) for c in final.citations])
            session["questions"] = (session["questions"] + [question])[-MAX_HISTORY:]
        except AssistantError as exc:
            chat[index] = {"role": "assistant", "content": render_error(str(exc))}
            entry.update(answer=f"error: {_one_line(exc)}")
        except Exception:
            log.exception("answering %r failed", question[:200])
            chat[index] = {"role": "assistant", "content": render_error(INTERNAL_ERROR)}
            entry.update(answer="error: internal")
        session["answers"][index] = entry
        yield chat, "", session

    def on_like(session: dict[str, Any] | None, data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        entry = (session or {}).get("answers", {}).get(index)
        try:
            append_feedback(feedback_path, feedback_record(entry, data.liked))
        except OSError:
            log.exception("could not record feedback in %s", feedback_path)
            gr.Warning("反馈未能保存。")

    def clear() -> tuple[list[dict], str, dict[str, Any]]:
        return [], "", _new_session()

    def chat(message: str, history: list[str] | None = None) -> str:
        """Answer one question; ``history``: the conversation's earlier questions.
        Returns the checked answer with its numbered sources as plain text."""
        try:
            answer = assistant.ask(message, history=list(history or []))
        except AssistantError as exc:
            raise gr.Error(_one_line(exc), print_exception=False) from None
        except Exception:
            log.exception("API answer to %r failed", str(message)[:200])
            raise gr.Error(INTERNAL_ERROR, print_exception=False) from None
        return render_plain(answer)

    # real types for gradio's API schema (this module uses postponed annotations)
    chat.__annotations__ = {"message": str, "history": list[str] | None, "return": str}

    library = has_library(assistant)
    max_mb, max_files = upload_limits(assistant.config)
    suffixes = upload_types(assistant.config)
    upload_lock = threading.Lock()  # one ingest at a time; other uploads wait their turn

    def documents() -> list[Any]:
        return list(assistant.documents())  # type: ignore[attr-defined]

    def find(name: str) -> Any | None:
        return next((d for d in documents() if str(getattr(d, "name", "")) == name), None)

    def panel(docs: list[Any], keep: str | None) -> tuple[Any, Any, str]:
        """(table, document dropdown, summary) for ``docs``, keeping the selection if it still exists."""
        names = [str(getattr(d, "name", "")) for d in docs]
        return ({"headers": DOC_HEADERS, "data": doc_rows(docs)},
                gr.update(choices=names, value=keep if keep in names else None),
                render_library_summary(docs))

    def library_error(exc: BaseException, doing: str) -> str:
        """A one-line message for the page (and a log entry for unexpected errors)."""
        if isinstance(exc, AssistantError):
            message = f"{doing}失败：{_one_line(exc)}"
        else:
            log.error("%s failed", doing, exc_info=(type(exc), exc, exc.__traceback__))
            message = f"{doing}失败：内部错误，已记录日志，请稍后重试。"
        gr.Warning(message)
        return _status("error", _esc(message))

    def refresh(keep: str | None) -> tuple[Any, Any, str]:
        try:
            return panel(documents(), keep)
        except Exception as exc:  # noqa: BLE001 - shown in the page, never a traceback
            return gr.update(), gr.update(), library_error(exc, "读取文档库")

    def on_upload(files: list[str] | str | None, place: str, year: str, keep: str | None,
                  ) -> Iterator[tuple[Any, str, Any, Any, Any]]:
        files = [files] if isinstance(files, str) else [f for f in (files or []) if f]
        skip = gr.update()
        if not files:
            return
        try:
            year_value = parse_year(year)
            accepted, refused = check_uploads(files, max_mb, max_files, suffixes)
        except ValueError as exc:
            gr.Warning(str(exc))
            yield None, _status("error", _esc(str(exc))), skip, skip, skip
            return
        if not accepted:
            gr.Warning("没有可添加的文件。")
            yield None, render_add_report(None, refused, []), skip, skip, skip
            return
        names = [n for _, n in accepted]
        try:
            job = _Upload(assistant, accepted, (place or "").strip() or None, year_value, upload_lock).start()
        except OSError as exc:
            yield None, library_error(AssistantError(f"无法保存上传的文件（{exc.strerror or exc}）"), "上传"), \
                skip, skip, skip
            return
        t0 = time.monotonic()
        stage, fraction, shown = "排队中", 0.0, 0.0
        yield None, render_progress(stage, fraction, names, 0.0), skip, skip, skip
        outcome: tuple | None = None
        while outcome is None:
            try:
                event = job.events.get(timeout=0.25)
            except queue.Empty:
                event = None
            while event is not None:  # take everything waiting, show the latest
                if event[0] == "progress":
                    stage, fraction = event[1], event[2]
                else:
                    outcome = event
                    break
                try:
                    event = job.events.get_nowait()
                except queue.Empty:
                    event = None
            now = time.monotonic()
            if outcome is None and now - shown >= 0.4:
                shown = now
                yield None, render_progress(stage, fraction, names, now - t0), skip, skip, skip
        if outcome[0] == "error":
            gr.Warning(outcome[1])
            message = _status("error", _esc(outcome[1]) + (
                "<br>" + "<br>".join(_esc(r) for r in refused) if refused else ""))
            yield None, message, *refresh(keep)
            return
        try:
            docs = documents()
        except Exception as exc:  # noqa: BLE001
            yield None, library_error(exc, "读取文档库"), skip, skip, skip
            return
        yield None, render_add_report(outcome[1], refused, docs), *panel(docs, keep)

    def on_pick(name: str | None) -> tuple[str, str, Any, str]:
        hide = gr.update(visible=False)
        if not name:
            return "", "", hide, gr.update()
        try:
            doc = find(name)
        except Exception as exc:  # noqa: BLE001
            return gr.update(), gr.update(), hide, library_error(exc, "读取文档库")
        if doc is None:
            return "", "", hide, _status("warn", f"文档 {_esc(name)} 已不在文档库中。")
        year = doc_year(doc)
        return doc_place(doc), str(year or ""), hide, gr.update()

    def on_row(evt: gr.SelectData) -> Any:
        row = evt.row_value if isinstance(evt.row_value, (list, tuple)) else None
        return gr.update(value=str(row[0])) if row else gr.update()

    def on_save(name: str | None, place: str, year: str) -> tuple[Any, ...]:
        skip = gr.update()
        if not name:
            gr.Warning("请先在表格或下拉框中选择一个文档。")
            return _status("warn", "请先选择一个文档。"), skip, skip, skip, skip, skip
        try:
            year_value = parse_year(year)
        except ValueError as exc:
            gr.Warning(str(exc))
            return _status("error", _esc(str(exc))), skip, skip, skip, skip, skip
        try:
            doc = find(name)
            wanted_place = " ".join((place or "").split())
            new_place: str | None = wanted_place
            new_year: int | None = year_value
            if doc is not None:
                has_place = getattr(doc, "place_override", None) is not None
                has_year = getattr(doc, "year_override", None) is not None
                # an emptied box clears a correction ("" / 0); an unchanged one changes nothing
                if wanted_place == doc_place(doc) or (not wanted_place and not has_place):
                    new_place = None
                if year_value == doc_year(doc) or (year_value is None and not has_year):
                    new_year = None
                elif year_value is None:
                    new_year = 0
            if new_place is None and new_year is None:
                return _status("warn", "地区和年份都没有改动。"), skip, skip, skip, skip, skip
            fixed = assistant.correct_document(name, place=new_place, year=new_year)  # type: ignore[attr-defined]
            docs = documents()
        except Exception as exc:  # noqa: BLE001
            return library_error(exc, "更正"), skip, skip, skip, skip, skip
        fixed_year = doc_year(fixed)
        text = (f"已更正 {_esc(name)}：地区 {_esc(doc_place(fixed) or '未识别')}，"
                f"年份 {fixed_year or '未识别'}。从下一个问题起生效。")
        return _status("ok", text), *panel(docs, name), doc_place(fixed), str(fixed_year or "")

    def on_remove_ask(name: str | None) -> tuple[Any, str, str]:
        if not name:
            gr.Warning("请先在表格或下拉框中选择一个文档。")
            return gr.update(visible=False), "", _status("warn", "请先选择要删除的文档。")
        return (gr.update(visible=True),
                f"确定从文档库删除 <b>{_esc(name)}</b> 吗？删除后它不再用于回答。", "")

    def on_remove(name: str | None) -> tuple[Any, str, Any, Any, Any]:
        hide, skip = gr.update(visible=False), gr.update()
        if not name:
            return hide, _status("warn", "请先选择要删除的文档。"), skip, skip, skip
        try:
            assistant.remove_document(name)  # type: ignore[attr-defined]
            docs = documents()
        except Exception as exc:  # noqa: BLE001
            return hide, library_error(exc, "删除"), *refresh(None)
        return hide, _status("ok", f"已删除 {_esc(name)}。从下一个问题起不再引用它。"), *panel(docs, None)

    def on_cancel() -> tuple[Any, str]:
        return gr.update(visible=False), _status("warn", "已取消删除。")

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## {TITLE}\n回答均引用报告原文段落，数字已与原文核对。")
        gr.HTML(backend_banner(assistant), elem_id="ra-backend")
        session = gr.State(_new_session())
        with gr.Tabs(elem_id="ra-tabs"):
            with gr.Tab("问答", id="chat", elem_id="ra-chat-tab"):
                chatbot = gr.Chatbot(
                    label="对话", elem_id="ra-chat", height=680, latex_delimiters=[],
                    sanitize_html=True, feedback_options=("Like", "Dislike"), buttons=["copy", "copy_all"],
                    placeholder="可以问报告里的数字，例如生产总值、增长目标；也可以接着追问（如“那2026年呢？”）。",
                )
                with gr.Row():
                    box = gr.Textbox(show_label=False, placeholder="输入问题，回车发送", scale=8,
                                     elem_id="ra-question", max_lines=4, autofocus=True)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80)
                examples = gr.Examples(EXAMPLES, inputs=[box], label="示例问题（点击提问）")
                clear_btn = gr.Button("清空对话", variant="secondary", size="sm", elem_id="ra-clear")
            if library:
                with gr.Tab("文档库", id="library", elem_id="ra-library-tab") as library_tab:
                    gr.Markdown(
                        "### 上传报告\n拖入或点击选择文件："
                        + " ".join(suffixes)
                        + f"；每次最多 {max_files} 个，每个不超过 {_fmt_limit(max_mb)}。"
                        "上传后自动清洗、识别地区和年份并建立索引，完成后即可在“问答”中提问。")
                    with gr.Row():
                        upload = gr.File(label="上传文件", file_count="multiple", elem_id="ra-upload",
                                         height=120, scale=3)
                        with gr.Column(scale=1, min_width=200):
                            up_place = gr.Textbox(label="地区（可选）", placeholder="留空则自动识别",
                                                  elem_id="ra-upload-place", max_lines=1)
                            up_year = gr.Textbox(label="年份（可选）", placeholder="留空则自动识别",
                                                 elem_id="ra-upload-year", max_lines=1)
                    up_status = gr.HTML("", elem_id="ra-upload-status")
                    gr.Markdown("### 文档库")
                    summary = gr.HTML("", elem_id="ra-library-summary")
                    table = gr.Dataframe(headers=DOC_HEADERS, value=[], interactive=False,
                                         elem_id="ra-docs", wrap=True, max_height=420,
                                         datatype=["str", "str", "str", "str", "number", "number", "str"])
                    with gr.Row(equal_height=True):
                        pick = gr.Dropdown(label="选择文档", choices=[], value=None, elem_id="ra-doc-pick",
                                           scale=3, allow_custom_value=False)
                        fix_place = gr.Textbox(label="地区", elem_id="ra-fix-place", max_lines=1, scale=2)
                        fix_year = gr.Textbox(label="年份", elem_id="ra-fix-year", max_lines=1, scale=1)
                    with gr.Row():
                        save_btn = gr.Button("保存更正", variant="primary", elem_id="ra-fix-save", size="sm",
                                             scale=0, min_width=110)
                        remove_btn = gr.Button("删除", variant="stop", elem_id="ra-remove", size="sm",
                                               scale=0, min_width=110)
                        refresh_btn = gr.Button("刷新", variant="secondary", elem_id="ra-refresh", size="sm",
                                                scale=0, min_width=110)
                    with gr.Row(visible=False, elem_id="ra-confirm") as confirm_row:
                        confirm_text = gr.HTML("")
                        confirm_btn = gr.Button("确认删除", variant="stop", elem_id="ra-confirm-remove",
                                                size="sm", scale=0, min_width=100)
                        cancel_btn = gr.Button("取消", elem_id="ra-cancel-remove", size="sm", scale=0,
                                               min_width=80)
                    lib_status = gr.HTML("", elem_id="ra-library-status")

        io: dict[str, Any] = {"inputs": [box, chatbot, session], "outputs": [chatbot, box, session]}
        box.submit(respond, **io, api_visibility="private")
        send.click(respond, **io, api_visibility="private")
        examples.load_input_event.then(respond, **io, api_visibility="private")
        chatbot.like(on_like, [session], None, api_visibility="private")
        clear_btn.click(clear, None, [chatbot, box, session], api_visibility="private", queue=False)
        chatbot.clear(clear, None, [chatbot, box, session], api_visibility="private", queue=False)
        gr.api(chat, api_name="chat")

        if library:
            view = [table, pick, summary]
            lib = {"api_visibility": "private", "concurrency_id": "library", "concurrency_limit": 4}
            demo.load(refresh, [pick], view, **lib)
            library_tab.select(refresh, [pick], view, **lib)
            refresh_btn.click(refresh, [pick], view, **lib)
            # the page waits on a worker thread: uploads never take a chat slot
            upload.upload(on_upload, [upload, up_place, up_year, pick], [upload, up_status, *view],
                          show_progress="hidden", api_visibility="private",
                          concurrency_id="library-upload", concurrency_limit=4)
            pick.change(on_pick, [pick], [fix_place, fix_year, confirm_row, lib_status], **lib)
            table.select(on_row, None, [pick], **lib)
            save_btn.click(on_save, [pick, fix_place, fix_year], [lib_status, *view, fix_place, fix_year], **lib)
            remove_btn.click(on_remove_ask, [pick], [confirm_row, confirm_text, lib_status], **lib)
            confirm_btn.click(on_remove, [pick], [confirm_row, lib_status, *view], **lib)
            cancel_btn.click(on_cancel, None, [confirm_row, lib_status], **lib)
    return demo


def _credentials(auth: str) -> tuple[str, str] | None:
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ConfigError("UI auth must look like user:password (ASSISTANT_UI_AUTH or --auth)")
    return user, password


def launch(assistant: Assistant, host: str = "127.0.0.1", port: int = 7860, auth: str = "",
           no_auth: bool = False, prevent_thread_lock: bool = False) -> gr.Blocks:
    """Serve the app on ``host:port`` (never shared publicly); returns the Blocks
    (call ``.close()`` on it when ``prevent_thread_lock`` is true).

    Any host other than 127.0.0.1/localhost needs ``auth`` ("user:password", or the
    config's ``ui_auth``) unless ``no_auth`` is true.
    """
    credentials = None if no_auth else _credentials(auth or assistant.config.ui_auth)
    if host not in LOCAL_HOSTS:
        if credentials is None and not no_auth:
            raise ConfigError(
                f"serving on {host} needs a password: set ASSISTANT_UI_AUTH=user:password "
                "(or --auth), or pass --no-auth to serve without one"
            )
        if credentials is None:
            log.warning("serving on %s:%s WITHOUT a password (--no-auth)", host, port)
    # build the index in the background so the first question does not wait for all of it
    threading.Thread(target=_warm_up, args=(assistant,), name="index-warm-up", daemon=True).start()
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=8)
    max_mb, _ = upload_limits(assistant.config)
    demo.launch(
        server_name=host, server_port=port, auth=credentials, share=False,
        # gradio refuses a larger file before it is stored (HEAD translates its message)
        max_file_size=int(max_mb * 1024 * 1024), head=HEAD,
        prevent_thread_lock=prevent_thread_lock, show_error=False, quiet=True,
        ssr_mode=False, css=CSS, footer_links=["api"],
    )
    log.info("UI on http://%s:%s (backend %s)", host, port, assistant.describe_backend())
    return demo


def _warm_up(assistant: Assistant) -> None:
    try:
        assistant.retriever
    except AssistantError as exc:
        log.warning("index not ready: %s", exc)
    except Exception:
        log.exception("building the index failed")
