"""The Gradio UI: rendering, feedback file, the /chat API (gradio_client) and the
page itself in Chromium (Playwright, marked ``slow``).

One app serves the whole session: a fresh data dir, the index built once up front.
The assistant is pinned to the extractive backend so the answers are deterministic.
"""
from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import contextlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
from fake_openai import free_port  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from assistant import Answer, Assistant, Citation, Config  # noqa: E402
from assistant import ui  # noqa: E402
from assistant.errors import ConfigError, QuestionError  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "test-results"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
GDP_2023 = "2023年青岛市生产总值是多少？"
REPORT_2024 = "001_00a57e6725684587.txt"
REPORT_2025 = "003_773498ea8d7ac04c.txt"
ANSWER_TIMEOUT_MS = 180_000  # 2 cores shared with other jobs


@dataclass
class App:
    url: str
    assistant: Assistant
    config: Config
    demo: object


@pytest.fixture(scope="session")
def assistant(config: Config) -> Assistant:
    """The session's index (see conftest), pinned to the extractive backend."""
    a = Assistant(config.with_(backend="extractive"))
    a.retriever  # noqa: B018 - built once per session
    return a


@contextlib.contextmanager
def serving(assistant: Assistant, **kw: object) -> Iterator[App]:
    """``assistant``'s UI on a free local port for the ``with`` block."""
    port = free_port()
    demo = ui.launch(assistant, port=port, prevent_thread_lock=True, **kw)  # type: ignore[arg-type]
    try:
        yield App(f"http://127.0.0.1:{port}/", assistant, assistant.config, demo)
    finally:
        demo.close()


@pytest.fixture(scope="session")
def app(assistant: Assistant) -> Iterator[App]:
    with serving(assistant) as served:
        yield served


def _citation(**kw: object) -> Citation:
    text = kw.pop("text", "前文<b>。全市生产总值达到15760.3亿元，同比增长5.9%。后文<script>alert(1)</script>")
    quote = "全市生产总值达到15760.3亿元，同比增长5.9%。"
    qs = text.index(quote)
    values = dict(n=1, paragraph_id="p1", source=REPORT_2024, title="青岛市<2024>年政府工作报告",
                  region="青岛市", years=[2023], section="一、2023年工作回顾", text=text, quote=quote,
                  start=0, end=len(text), quote_start=qs, quote_end=qs + len(quote))
    values.update(kw)
    return Citation(**values)  # type: ignore[arg-type]


def _answer(**kw: object) -> Answer:
    values = dict(question="<script>alert(1)</script>", text="15760.3亿元 [1]\n\n报告原文：“<i>x</i>”",
                  abstained=False, citations=[_citation()], backend="extractive", latency_ms=12.0,
                  notes=["大模型不可用（<timeout>），已改用抽取式回答。"])
    values.update(kw)
    return Answer(**values)  # type: ignore[arg-type]


# --- rendering (fast) ------------------------------------------------------------------
def test_render_answer_escapes_and_highlights() -> None:
    out = ui.render_answer(_answer())
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<i>x</i>" not in out and "&lt;i&gt;x&lt;/i&gt;" in out
    assert "&lt;2024&gt;" in out and "&lt;timeout&gt;" in out
    assert '<mark style="' in out
    marked = out.split("<mark", 1)[1].split(">", 1)[1].split("</mark>", 1)[0]
    assert marked == "全市生产总值达到15760.3亿元，同比增长5.9%。"
    assert "ra-cite" in out and REPORT_2024 in out and "2023年" in out and "一、2023年工作回顾" in out
    assert "ra-note" in out and "ra-abstain" not in out
    assert "\n" not in out  # one HTML block: a blank line would end it in Markdown


def test_render_abstention_and_error_look_different() -> None:
    out = ui.render_answer(_answer(text="报告中没有找到能回答这个问题的数字。", abstained=True,
                                   citations=[], notes=[]))
    assert "ra-abstain" in out and "未找到答案" in out and "ra-sources" not in out
    err = ui.render_error("line one\nline <two>")
    assert "ra-error" in err and "line one line &lt;two&gt;" in err and "<br>" not in err


def test_highlight_falls_back_to_finding_the_quote() -> None:
    c = _citation(quote_start=-1, quote_end=10_000)
    assert "<mark" in ui.highlight(c) and "15760.3亿元" in ui.highlight(c)
    assert "<mark" not in ui.highlight(_citation(quote_start=0, quote_end=0, quote="不在段落里"))


def test_render_plain_lists_sources() -> None:
    out = ui.render_plain(_answer())
    assert out.startswith("15760.3亿元 [1]") and "来源：" in out and "[1] 《青岛市<2024>年政府工作报告》" in out
    assert REPORT_2024 in out and "注：" in out


def test_source_label_shows_the_page_of_a_pdf() -> None:
    c = _citation()
    assert "页" not in ui.source_label(c)
    c.page = 12  # type: ignore[attr-defined] - Citation.page: int | None
    assert ui.source_label(c).endswith(" · 第12页")
    assert "第12页" in ui.render_answer(_answer(citations=[c])) and "第12页" in ui.render_plain(_answer(citations=[c]))


def test_uploaded_names_are_sanitised() -> None:
    assert ui.safe_name("../../etc/passwd") == "passwd"
    assert ui.safe_name("C:\\Users\\x\\报告.pdf") == "报告.pdf"
    assert ui.safe_name("a\x00b\x1b[31m\u202ec.txt") == "ab[31mc.txt"  # control and bidi characters
    assert ui.safe_name("  ..  ") == "未命名"
    long = ui.safe_name("长" * 300 + ".docx")
    assert len(long) == 120 and long.endswith(".docx")


def test_upload_limits_give_clear_messages(tmp_path: Path) -> None:
    files = {"ok.pdf": 10, "big.docx": 3 * 1024 * 1024, "tool.exe": 10, "noext": 10}
    paths = []
    for name, size in files.items():
        (tmp_path / name).write_bytes(b"x" * size)
        paths.append(str(tmp_path / name))
    (tmp_path / "dup").mkdir()
    (tmp_path / "dup" / "ok.pdf").write_bytes(b"y")
    paths.append(str(tmp_path / "dup" / "ok.pdf"))
    accepted, refused = ui.check_uploads(paths, max_mb=2, max_files=5)
    assert accepted == [(paths[0], "ok.pdf")]
    assert any(r.startswith("big.docx：文件过大（3.0 MB，上限 2 MB）") for r in refused), refused
    assert any(r.startswith("tool.exe：不支持的文件类型（.exe）") and ".pdf" in r for r in refused), refused
    assert any(r.startswith("noext：不支持的文件类型（无扩展名）") for r in refused), refused
    assert any(r.startswith("ok.pdf：同名文件") for r in refused), refused
    with pytest.raises(ValueError, match="一次最多上传 2 个文件（这次选了 5 个）"):
        ui.check_uploads(paths, max_mb=2, max_files=2)
    assert ui.parse_year(" 2025年 ") == 2025 and ui.parse_year("") is None
    for bad in ("25", "二〇二五", "1800", "2025.5"):
        with pytest.raises(ValueError, match="年份"):
            ui.parse_year(bad)


def test_documents_panel_rows_mark_corrections() -> None:
    from assistant.library import DocInfo

    docs = [DocInfo("临川.pdf", "临川市", 2025, "report", 12, 30, "2025-03-01T09:30:00+00:00", "ab", "pdf"),
            DocInfo("x.txt", "", None, "news", 1, 0, "2025-03-02T10:00:00", "cd", "txt",
                    place_override="青禾县", year_override=2024)]
    rows = ui.doc_rows(docs)
    assert rows[0] == ["临川.pdf", "临川市", "2025", ui._kind(docs[0]), 12, 30, "2025-03-01 09:30"]
    assert "PDF" in rows[0][3]
    assert rows[1][1] == "青禾县（已更正）" and rows[1][2] == "2024（已更正）"
    out = ui.render_add_report(type("R", (), {"added": ["临川.pdf"], "replaced": [], "unchanged": ["x.txt"],
                                              "skipped": ["y.pdf: no text <b>"], "seconds": 1.5})(),
                               ["tool.exe：不支持的文件类型"], docs)
    assert "临川.pdf（临川市 · 2025年 · 12 段）" in out and "x.txt" in out
    assert "tool.exe" in out and "&lt;b&gt;" in out and "1.5 秒" in out and "<b>" in out


def test_respond_reports_errors_in_one_line_and_keeps_going(caplog: pytest.LogCaptureFixture) -> None:
    """Exercises the chat handler without a server, with a stub assistant."""

    class Stub:
        config = Config(data_dir=Path("/nonexistent-ui-test"))

        def describe_backend(self) -> str:
            return "extractive"

        def backend_name(self) -> str:
            return "extractive"

        def stream(self, question: str, history: list[str] | None = None):
            if not question.strip():
                raise QuestionError("the question is empty")
            if question == "boom":
                raise RuntimeError("internal detail")
            yield "draft"
            yield _answer(question=question, notes=[])

    demo = ui.build_app(Stub())  # type: ignore[arg-type]
    respond = next(f.fn for f in demo.fns.values() if f.name == "respond")
    session = ui._new_session()
    chat: list[dict] = []
    for q, expect in [("", "the question is empty"), ("boom", ui.INTERNAL_ERROR), ("ok?", "15760.3亿元")]:
        with caplog.at_level(logging.ERROR, logger="assistant.ui"):
            *_, (chat, box, session) = list(respond(q, chat, session))
        assert box == ""
        assert expect in chat[-1]["content"]
    assert [m["role"] for m in chat] == ["user", "assistant"] * 3
    assert "ra-error" in chat[1]["content"] and "ra-error" in chat[3]["content"]
    assert "internal detail" not in chat[3]["content"]
    assert any("boom" in r.getMessage() for r in caplog.records)  # logged, not printed
    assert session["questions"] == ["ok?"]  # failed questions are not history
    assert set(session["answers"]) == {1, 3, 5}


# --- feedback ------------------------------------------------------------------------
def test_concurrent_feedback_appends_lose_no_line(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "feedback.jsonl"
    entry = {"question": "问" * 300, "answer": "答" * 2000, "citations": [{"n": 1, "text": "段" * 3000}]}

    def worker(t: int) -> None:
        for i in range(10):
            record = ui.feedback_record(entry, i % 2 == 0)
            record["id"] = f"{t}-{i}"
            ui.append_feedback(path, record)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200
    records = [json.loads(line) for line in lines]
    assert {r["id"] for r in records} == {f"{t}-{i}" for t in range(20) for i in range(10)}
    assert {r["vote"] for r in records} == {"up", "down"}
    assert all(r["answer"] == entry["answer"] and r["time"] for r in records)


# --- launch --------------------------------------------------------------------------
def test_public_host_needs_auth(assistant: Assistant) -> None:
    with pytest.raises(ConfigError, match="password"):
        ui.launch(assistant.__class__(assistant.config.with_(ui_auth="")), host="0.0.0.0", port=free_port())
    with pytest.raises(ConfigError, match="user:password"):
        ui.launch(assistant, host="127.0.0.1", port=free_port(), auth="no-colon")


def test_auth_is_enforced(assistant: Assistant) -> None:
    from gradio_client import Client

    port = free_port()
    demo = ui.launch(assistant, port=port, auth="tester:s3cret", prevent_thread_lock=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        with pytest.raises(Exception):
            Client(url, verbose=False).predict(GDP_2023, api_name="/chat")
        out = Client(url, auth=("tester", "s3cret"), verbose=False).predict(GDP_2023, api_name="/chat")
        assert "15760.3亿元" in out
    finally:
        demo.close()


# --- the /chat API -------------------------------------------------------------------
def test_api_chat(app: App) -> None:
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    out = client.predict(GDP_2023, api_name="/chat")
    assert "15760.3亿元" in out and "来源：" in out and REPORT_2024 in out
    out = client.predict("那2025年呢？", ["2024年青岛市生产总值预期增长多少？"], api_name="/chat")
    assert "5.5%" in out and REPORT_2025 in out
    with pytest.raises(Exception, match="empty"):
        client.predict("   ", api_name="/chat")
    assert "15760.3亿元" in client.predict(GDP_2023, api_name="/chat")  # still serving


def test_api_concurrent_clients(app: App) -> None:
    from gradio_client import Client

    cases = [
        (GDP_2023, None, "15760.3亿元"),
        ("2024年西海岸新区地区生产总值预期增长多少？", None, "6%以上"),
        ("2024年青岛市生产总值预期增长多少？", None, "5.5%"),
        ("那2025年呢？", ["2024年青岛市生产总值预期增长多少？"], REPORT_2025),
        (GDP_2023, None, "15760.3亿元"),
    ]
    barrier = threading.Barrier(len(cases))

    def run(case: tuple[str, list[str] | None, str]) -> tuple[str, str]:
        question, history, _ = case
        client = Client(app.url, verbose=False)
        barrier.wait(timeout=120)
        if history:
            return question, client.predict(question, history, api_name="/chat")
        return question, client.predict(question, api_name="/chat")

    with ThreadPoolExecutor(len(cases)) as pool:
        results = list(pool.map(run, cases))
    for (question, out), (_, _, expect) in zip(results, cases):
        assert expect in out, (question, out)


# --- the page in Chromium ------------------------------------------------------------
@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 1500) -> Iterator[tuple[object, list[str]]]:
    """A Chromium page (Debian's chromium via Playwright) and the page errors it reports;
    skips the test where either is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield page, errors
        finally:
            browser.close()


def open_app(page, url: str) -> None:  # noqa: ANN001
    """Load the app and wait until the question box is there (never for networkidle)."""
    page.goto(url, wait_until="load", timeout=120_000)
    page.locator("#ra-question textarea").wait_for(timeout=120_000)


def _answers(page) -> int:  # noqa: ANN001
    return page.evaluate(
        "document.querySelectorAll('#ra-chat .ra-answer, #ra-chat .ra-error').length")


def ask_in_page(page, question: str) -> object:  # noqa: ANN001
    """Type ``question``, press Enter, wait for the final (checked) message; return it."""
    before = _answers(page)
    box = page.locator("#ra-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#ra-chat .ra-answer, #ra-chat .ra-error').length > n",
        arg=before, timeout=ANSWER_TIMEOUT_MS)
    return page.locator("#ra-chat .ra-answer, #ra-chat .ra-error").last


def clear_chat(page) -> None:  # noqa: ANN001
    page.locator("#ra-clear").click()
    page.wait_for_function("document.querySelectorAll('#ra-chat .message-row').length === 0",
                           timeout=30_000)


@pytest.mark.slow
def test_browser(app: App, tmp_path: Path) -> None:
    feedback = Path(app.config.data_dir) / ui.FEEDBACK_FILE
    feedback.unlink(missing_ok=True)
    RESULTS.mkdir(exist_ok=True)
    with chromium_page() as (page, errors):
        t_goto = time.monotonic()
        page.goto(app.url, wait_until="load", timeout=120_000)
        t_load = time.monotonic()
        page.locator("#ra-question textarea").wait_for(timeout=120_000)
        assert "extractive" in page.locator("#ra-backend").inner_text()
        assert "未配置大模型" in page.locator("#ra-backend").inner_text()

        # 1. a figure, with its source and the sentence highlighted
        msg = ask_in_page(page, GDP_2023)
        first_answer_s = time.monotonic() - t_load
        assert "15760.3亿元" in msg.locator(".ra-answer-text").inner_text()
        source = msg.locator(".ra-source").first
        assert "15760.3亿元" in source.inner_text() and REPORT_2024 in source.inner_text()
        assert "15760.3亿元" in source.locator("mark").inner_text()
        (RESULTS / "ui-timing.json").write_text(json.dumps(
            {"goto_load_s": round(t_load - t_goto, 2), "load_to_first_answer_s": round(first_answer_s, 2)}))
        logging.getLogger(__name__).info("page load -> first answer: %.2f s", first_answer_s)

        # thumbs up on that answer -> one line in feedback.jsonl
        page.locator("#ra-chat .message-buttons").last.get_by_role(
            "button", name=re.compile(r"^(Like|赞)$")).click()
        deadline = time.monotonic() + 30
        while not (feedback.exists() and feedback.read_text(encoding="utf-8").strip()):
            assert time.monotonic() < deadline, "no feedback line written"
            time.sleep(0.2)
        record = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
        assert record["vote"] == "up" and record["question"] == GDP_2023
        assert "15760.3亿元" in record["answer"] and record["citations"][0]["source"] == REPORT_2024

        # 2. markup in a question is text, never code
        clear_chat(page)
        xss = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">"
        ask_in_page(page, xss)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("#ra-chat [data-testid='user']").last.inner_text().strip() == xss
        assert page.locator("#ra-chat script, #ra-chat img[src='x']").count() == 0

        # 3. an empty question: a one-line message, and the app keeps serving
        msg = ask_in_page(page, "")
        assert msg.get_attribute("class") == "ra-error" and "\n" not in msg.inner_text().strip()

        # 4. the reports do not say: a visibly different abstention
        clear_chat(page)
        msg = ask_in_page(page, "2023年青岛常住人口有多少？")
        assert msg.locator(".ra-abstain").count() == 1
        assert "报告中没有找到" in msg.inner_text() and msg.locator(".ra-source").count() == 0

        # 5. a follow-up whose answer depends on the year
        clear_chat(page)
        msg = ask_in_page(page, "2024年青岛市生产总值预期增长多少？")
        assert "5.5%" in msg.locator(".ra-answer-text").inner_text()
        assert REPORT_2024 in msg.locator(".ra-source").first.inner_text()
        msg = ask_in_page(page, "那2025年呢？")
        assert "5.5%" in msg.locator(".ra-answer-text").inner_text()
        sources = msg.locator(".ra-source").all_inner_texts()
        assert sources and all(REPORT_2025 in s and "2025年" in s for s in sources), sources
        assert REPORT_2024 not in " ".join(sources)

        page.screenshot(path=str(tmp_path / "ui.png"), full_page=True)
        shutil.copyfile(tmp_path / "ui.png", RESULTS / "ui.png")
        assert not errors, errors


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def chat_clients(url: str, n: int) -> list[object]:
    """``n`` gradio_client sessions of the app at ``url``."""
    from gradio_client import Client

    return [Client(url, verbose=False) for _ in range(n)]


def concurrent_chats(clients: list[object], questions: list[str]) -> list[tuple[str, float]]:
    """Each client asks its question of /chat, all at once; (answer, seconds) for each."""
    barrier = threading.Barrier(len(questions))

    def run(i: int) -> tuple[str, float]:
        barrier.wait(timeout=120)
        t0 = time.monotonic()
        out = clients[i].predict(questions[i], api_name="/chat")  # type: ignore[attr-defined]
        return out, time.monotonic() - t0

    with ThreadPoolExecutor(len(questions)) as pool:
        return list(pool.map(run, range(len(questions))))


def test_20_concurrent_chat_sessions_through_gradio_client(app: App, record_property) -> None:
    """Load: 20 sessions at once against one app all get the right answer; memory stays bounded."""
    cases = [(GDP_2023, "15760.3亿元"), ("2023年青岛常住人口有多少？", "报告中没有找到"),
             ("2024年西海岸新区地区生产总值预期增长多少？", "6%以上"), ("What was Qingdao's GDP in 2023?", "15760.3亿元")]
    jobs = [cases[i % len(cases)] for i in range(20)]
    clients = chat_clients(app.url, len(jobs))
    before = _rss_mb()
    results = concurrent_chats(clients, [q for q, _ in jobs])
    for (out, _), (question, expect) in zip(results, jobs):
        assert expect in out, (question, out)
    took = sorted(t for _, t in results)
    record_property("chat_sessions_p50_s", round(took[len(took) // 2], 3))
    record_property("chat_sessions_p95_s", round(took[int(0.95 * (len(took) - 1))], 3))
    assert _rss_mb() - before < 300
