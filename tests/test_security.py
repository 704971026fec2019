"""Secrets and exposure.

* The API key never leaks: not in logs (DEBUG, every logger), stdout/stderr of the
  CLI, ``Answer.to_dict()``, ``repr(config)``, an eval report, nor any file the
  assistant writes in its data directory, even when the endpoint fails.
* The UI refuses to serve on a non-local address without a password.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fake_openai import FakeOpenAI, free_port, malformed, status, text

from assistant import Assistant, Config
from assistant.errors import AssistantError

KEY = "sk-SECRET-abc123"
KEY_PARTS = (KEY, "SECRET-abc123", "abc123")  # nor a recognisable fragment of it
GDP_Q = "2023年青岛市生产总值是多少？"
GDP = "15760.3亿元"


def assert_no_key(where: str, blob: str | bytes) -> None:
    if isinstance(blob, bytes):
        found = [p for p in KEY_PARTS if p.encode() in blob]
    else:
        found = [p for p in KEY_PARTS if p in blob]
    assert not found, f"API key fragment {found} leaked into {where}"


def echo_key_401(body: dict):
    """Like the real API: a 401 whose error message repeats the key it was given."""
    return status(401, body={"error": {"message": f"Incorrect API key provided: {KEY}.", "type": "invalid_request_error",
                                       "param": None, "code": "invalid_api_key"}})


@pytest.fixture()
def secret_assistant(assistant, fake_llm, openai_assistant) -> Assistant:
    return openai_assistant(assistant.config, fake_llm.base_url, openai_api_key=KEY, max_retries=1)


@pytest.mark.parametrize("fault", [lambda b: status(500), lambda b: malformed(), echo_key_401,
                                   lambda b: text("2023年青岛市生产总值为99999亿元[1]。")],
                         ids=["500", "malformed", "401-echoing-key", "rejected-answer"])
def test_api_key_not_in_logs_answer_or_output(secret_assistant, fake_llm, caplog, capfd, fault):
    fake_llm.responder = fault
    caplog.set_level(logging.DEBUG)  # root: openai, httpx, httpcore and ours at DEBUG
    names = ("openai", "httpx", "httpcore", "httpx2", "httpcore2", "assistant")
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        ans = secret_assistant.ask(GDP_Q)
        streamed = list(secret_assistant.stream(GDP_Q))
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)

    # The key really was sent (so there was something to leak).
    assert fake_llm.chat_requests()[0].headers["authorization"] == f"Bearer {KEY}"
    assert GDP in ans.text
    assert ans.fallback_reason or ans.notes

    assert any(r.name.startswith("openai") and r.levelno == logging.DEBUG for r in caplog.records), \
        "the client's DEBUG logs were not captured: the check below would prove nothing"
    assert_no_key("log text", caplog.text)
    for rec in caplog.records:
        assert_no_key(f"log record {rec.name}", rec.getMessage() + repr(rec.args) + str(rec.exc_info or ""))
    out, err = capfd.readouterr()
    assert_no_key("stdout", out)
    assert_no_key("stderr", err)
    assert_no_key("Answer.to_dict()", json.dumps(ans.to_dict(), ensure_ascii=False))
    assert_no_key("Answer repr", repr(ans))
    assert_no_key("streamed pieces", repr(streamed))
    assert_no_key("repr(config)", repr(secret_assistant.config))
    assert_no_key("str(config)", str(secret_assistant.config))


def test_llm_error_messages_do_not_carry_the_key(assistant):
    """Even the exception raised inside the client layer (connection refused) is clean."""
    from assistant.llm import ChatModel
    import time

    cfg = assistant.config.with_(backend="openai", openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
                                 openai_api_key=KEY, request_timeout_s=1.0, max_retries=0)
    model = ChatModel(cfg, cfg.model)
    with pytest.raises(AssistantError) as info:
        model.complete([{"role": "user", "content": "hi"}], time.monotonic() + 5)
    assert_no_key("LLMError", str(info.value) + repr(info.value))
    assert_no_key("repr(ChatModel)", repr(model))


def test_config_from_env_hides_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ASSISTANT_UI_AUTH", "admin:hunter2-pass")
    cfg = Config.from_env()
    assert cfg.openai_api_key == KEY
    assert_no_key("repr(Config.from_env())", repr(cfg))
    assert "hunter2" not in repr(cfg)
    assert "hunter2" not in repr(cfg.with_(top_k=3))


# ------------------------------------------------------------------ the CLI, end to end


@pytest.fixture()
def failing_endpoint():
    with FakeOpenAI(responder=lambda body: status(500)) as srv:
        yield srv


def cli_env(data_dir: Path, base_url: str) -> dict:
    return dict(os.environ, ASSISTANT_DATA_DIR=str(data_dir), OPENAI_API_KEY=KEY, OPENAI_BASE_URL=base_url,
                ASSISTANT_REQUEST_TIMEOUT_S="2", ASSISTANT_MAX_RETRIES="1", ASSISTANT_QUESTION_TIMEOUT_S="8")


def run(env: dict, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300, cwd=cwd)


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
def test_cli_ask_json_with_failing_endpoint_does_not_leak_key(assistant, data_dir, failing_endpoint, verbose):
    env = cli_env(data_dir, failing_endpoint.base_url)
    r = run(env, *(["-v"] if verbose else []), "ask", "--json", GDP_Q)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert_no_key("CLI stdout", r.stdout)
    assert_no_key("CLI stderr", r.stderr)
    answer = json.loads(r.stdout)
    assert GDP in answer["text"] and answer["backend"].startswith("openai")  # openai→extractive
    assert any("大模型不可用" in n for n in answer["notes"])
    assert failing_endpoint.chat_requests(), "the CLI did not call the configured endpoint"
    assert failing_endpoint.chat_requests()[0].headers["authorization"] == f"Bearer {KEY}"


def test_eval_report_does_not_leak_key(assistant, data_dir, failing_endpoint, tmp_path):
    env = cli_env(data_dir, failing_endpoint.base_url)
    out_json, out_html = tmp_path / "out.json", tmp_path / "out.html"
    gold = Path(__file__).resolve().parent.parent / "evals" / "gold.jsonl"
    r = run(env, "eval", "--gold", str(gold), "--limit", "3", "--json", str(out_json), "--html", str(out_html))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert out_json.exists() and out_html.exists()
    json.loads(out_json.read_text(encoding="utf-8"))
    assert_no_key("eval JSON", out_json.read_bytes())
    assert_no_key("eval HTML", out_html.read_bytes())
    assert_no_key("eval stdout", r.stdout)
    assert_no_key("eval stderr", r.stderr)


def test_data_dir_never_stores_the_key(assistant, data_dir, failing_endpoint):
    """Whatever the assistant wrote so far (index, caches, feedback, logs) holds no key."""
    env = cli_env(data_dir, failing_endpoint.base_url)
    run(env, "ask", GDP_Q)
    for path in Path(data_dir).rglob("*"):
        if path.is_file() and path.stat().st_size < 64 * 1024 * 1024:
            assert_no_key(str(path), path.read_bytes())


# ------------------------------------------------------------------ UI bind rule


def _ui():
    try:
        from assistant.ui import launch
    except ImportError as exc:
        pytest.skip(f"assistant.ui is not available yet ({exc})")
    return launch


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_ui_refuses_non_local_host_without_auth(assistant, host):
    launch = _ui()
    port = free_port()
    open_assistant = Assistant(assistant.config.with_(ui_auth=""))
    with pytest.raises(AssistantError) as info:
        launch(open_assistant, host=host, port=port, auth="", prevent_thread_lock=True)
    assert "ASSISTANT_UI_AUTH" in str(info.value) or "password" in str(info.value)
    assert _port_is_free(port), "the UI started listening before refusing"


def test_ui_rejects_malformed_auth_without_echoing_it(assistant):
    launch = _ui()
    port = free_port()
    with pytest.raises(AssistantError) as info:
        launch(assistant, host="0.0.0.0", port=port, auth="hunter2-no-colon", prevent_thread_lock=True)
    assert "hunter2" not in str(info.value)
    assert _port_is_free(port)


def test_cli_chat_on_public_host_without_auth_is_one_line_error(assistant, data_dir):
    _ui()
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(data_dir))
    env.pop("ASSISTANT_UI_AUTH", None)
    port = free_port()
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "chat", "--host", "0.0.0.0", "--port", str(port)],
                       capture_output=True, text=True, env=env, timeout=180)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "ASSISTANT_UI_AUTH" in errors[0], r.stderr
    assert _port_is_free(port)
