"""The Gradio chat UI: streamed answers, numbered sources with the quoted sentence
highlighted, follow-up questions, feedback, and a ``/chat`` API endpoint.

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
import re  # noqa: E402
import threading  # noqa: E402
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
    """"title · region · years · section" (plain text)."""
    parts = [f"《{c.title}》" if c.title else "", c.region, _years(c.years), c.section]
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

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## {TITLE}\n回答均引用报告原文段落，数字已与原文核对。")
        gr.HTML(backend_banner(assistant), elem_id="ra-backend")
        session = gr.State(_new_session())
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

        io: dict[str, Any] = {"inputs": [box, chatbot, session], "outputs": [chatbot, box, session]}
        box.submit(respond, **io, api_visibility="private")
        send.click(respond, **io, api_visibility="private")
        examples.load_input_event.then(respond, **io, api_visibility="private")
        chatbot.like(on_like, [session], None, api_visibility="private")
        clear_btn.click(clear, None, [chatbot, box, session], api_visibility="private", queue=False)
        chatbot.clear(clear, None, [chatbot, box, session], api_visibility="private", queue=False)
        gr.api(chat, api_name="chat")
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
    demo.launch(
        server_name=host, server_port=port, auth=credentials, share=False,
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
