"""Self-tests for tests/fake_openai.py, driven by the real ``openai`` client.

They pin down which exception the real client raises for each injected fault,
so tests of the assistant can rely on it.
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import struct
import threading
import time

import openai
import pytest
from openai import OpenAI

try:  # works whether or not tests/ becomes a package later
    from tests.fake_openai import (
        FakeOpenAI,
        empty,
        fake_embedding,
        free_port,
        hang,
        malformed,
        slow,
        status,
        stream_cut,
        text,
    )
except ImportError:  # pragma: no cover - depends on how pytest sets sys.path
    from fake_openai import (  # type: ignore[no-redef]
        FakeOpenAI,
        empty,
        fake_embedding,
        free_port,
        hang,
        malformed,
        slow,
        status,
        stream_cut,
        text,
    )

API_KEY = "sk-test-SECRET-0123456789"
MESSAGES = [{"role": "user", "content": "2024年政府工作报告的GDP增长目标是多少？"}]


@pytest.fixture
def srv():
    with FakeOpenAI() as s:
        yield s


def client(srv: FakeOpenAI, *, timeout: float = 5, max_retries: int = 0) -> OpenAI:
    return OpenAI(base_url=srv.base_url, api_key=API_KEY, timeout=timeout, max_retries=max_retries)


# --------------------------------------------------------------------------- happy paths


def test_default_reply_and_request_recording(srv):
    r = client(srv).chat.completions.create(model="fake-chat", messages=MESSAGES)
    assert r.choices[0].message.content == "OK"
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens > 0

    (req,) = srv.requests
    assert req.method == "POST" and req.path == "/v1/chat/completions"
    assert req.body["model"] == "fake-chat"
    assert req.body["messages"] == MESSAGES
    assert req.headers["authorization"] == f"Bearer {API_KEY}"


def test_non_stream_text_with_usage(srv):
    srv.queue(text("目标为5%左右。", usage={"prompt_tokens": 11, "completion_tokens": 7}))
    r = client(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert r.object == "chat.completion"
    assert r.choices[0].message.role == "assistant"
    assert r.choices[0].message.content == "目标为5%左右。"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (11, 7, 18)


def test_stream_text_with_usage(srv):
    answer = "国内生产总值增长5%左右。"
    srv.queue(text(answer))
    stream = client(srv).chat.completions.create(
        model="m", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert content == answer
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    assert last.usage.completion_tokens > 0
    # usage only appears in the final chunk
    assert all(c.usage is None for c in chunks[:-1])


def test_stream_without_include_usage_has_no_usage_chunk(srv):
    chunks = list(client(srv).chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert all(c.choices and c.usage is None for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "OK"


def test_stream_wire_format(srv):
    """Raw SSE: `data: {...}` events, chunked, ending with `data: [DONE]`."""
    srv.queue(text("abcdefghij"))
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    body = {"model": "m", "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}}
    conn.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.getheader("Content-Type").startswith("text/event-stream")
    raw = resp.read().decode()
    conn.close()
    events = [e for e in raw.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"
    objs = [json.loads(e[len("data: "):]) for e in events[:-1]]
    deltas = [o["choices"][0]["delta"].get("content") for o in objs if o["choices"]]
    assert deltas == ["", "abcd", "efgh", "ij", None]  # role chunk, 4-char pieces, finish chunk
    assert objs[-1]["choices"] == [] and objs[-1]["usage"]["total_tokens"] > 0


def test_queue_then_responder_fallback(srv):
    seen = []

    def responder(body):
        seen.append(body["messages"][-1]["content"])
        return "from responder"  # a plain str means text(str)

    srv.responder = responder
    srv.queue(text("first"), "second")
    c = client(srv)
    got = [c.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content for _ in range(3)]
    assert got == ["first", "second", "from responder"]
    assert seen == [MESSAGES[-1]["content"]]


def test_empty_content(srv):
    srv.queue(empty(), empty())
    c = client(srv)
    assert c.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == ""
    chunks = list(c.chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert "".join(ch.choices[0].delta.content or "" for ch in chunks) == ""
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_slow_reply(srv):
    srv.queue(slow("late", 0.3), slow("too late", 2))
    c = client(srv, timeout=1)
    t0 = time.monotonic()
    assert c.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "late"
    assert time.monotonic() - t0 >= 0.3
    with pytest.raises(openai.APITimeoutError):
        c.chat.completions.create(model="m", messages=MESSAGES, timeout=0.3)


def test_models_list(srv):
    ids = [m.id for m in client(srv).models.list()]
    assert ids == ["fake-chat", "fake-embed"]
    assert srv.requests[-1].method == "GET" and srv.requests[-1].path == "/v1/models"


# --------------------------------------------------------------------------- faults


def test_429_then_success_is_retried(srv):
    srv.queue(status(429, retry_after=0), text("after retry"))
    r = client(srv, max_retries=1).chat.completions.create(model="m", messages=MESSAGES)
    assert r.choices[0].message.content == "after retry"
    assert len(srv.chat_requests()) == 2


def test_429_without_retries_raises_rate_limit_error(srv):
    srv.queue(status(429, retry_after=0))
    with pytest.raises(openai.RateLimitError) as ei:
        client(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert ei.value.status_code == 429
    assert ei.value.response.headers["retry-after"] == "0"
    assert ei.value.body["code"] == "rate_limit_exceeded"


def test_500_raises_internal_server_error(srv):
    srv.queue(status(500))
    with pytest.raises(openai.InternalServerError) as ei:
        client(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert ei.value.status_code == 500
    assert len(srv.chat_requests()) == 1  # max_retries=0: no retry


def test_503_with_custom_body(srv):
    srv.queue(status(503, body={"error": {"message": "overloaded", "type": "server_error", "code": None}}))
    with pytest.raises(openai.InternalServerError) as ei:
        client(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert ei.value.status_code == 503 and "overloaded" in str(ei.value)


def test_hang_raises_timeout(srv):
    srv.queue(hang())
    t0 = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client(srv, timeout=1).chat.completions.create(model="m", messages=MESSAGES)
    assert time.monotonic() - t0 < 3
    # the server keeps serving other requests meanwhile
    assert client(srv).chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "OK"


def test_stream_cut_yields_partial_then_connection_error(srv):
    """Observed: the chunks sent before the cut are delivered, then iteration
    raises APIConnectionError (cause: httpx2 RemoteProtocolError, incomplete
    chunked read).  The stream never ends quietly."""
    srv.queue(stream_cut("abcdefghijklmnop", after_chunks=2))
    stream = client(srv).chat.completions.create(model="m", messages=MESSAGES, stream=True)
    got = []
    with pytest.raises(openai.APIConnectionError) as ei:
        for ch in stream:
            got.append(ch.choices[0].delta.content or "")
    assert not isinstance(ei.value, openai.APITimeoutError)
    assert "".join(got) == "abcdefgh"


def test_stream_cut_non_stream_raises_connection_error(srv):
    srv.queue(stream_cut("abcdefghijklmnop", after_chunks=2))
    with pytest.raises(openai.APIConnectionError):
        client(srv).chat.completions.create(model="m", messages=MESSAGES)


def test_malformed_raises_json_decode_error(srv):
    """Observed: the openai client does NOT wrap an invalid JSON body; a plain
    json.JSONDecodeError (a ValueError, not an openai.OpenAIError) escapes."""
    srv.queue(malformed())
    with pytest.raises(json.JSONDecodeError) as ei:
        client(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert not isinstance(ei.value, openai.OpenAIError)


def test_malformed_stream_raises_json_decode_error(srv):
    srv.queue(malformed())
    stream = client(srv).chat.completions.create(model="m", messages=MESSAGES, stream=True)
    with pytest.raises(json.JSONDecodeError):
        list(stream)


def test_connection_refused_raises_connection_error():
    c = OpenAI(base_url=f"http://127.0.0.1:{free_port()}/v1", api_key=API_KEY, timeout=2, max_retries=0)
    with pytest.raises(openai.APIConnectionError) as ei:
        c.chat.completions.create(model="m", messages=MESSAGES)
    assert not isinstance(ei.value, openai.APITimeoutError)


def test_stop_is_prompt_with_hanging_handler():
    srv = FakeOpenAI().start()
    srv.queue(hang())
    errors = []

    def call():
        try:
            client(srv, timeout=30).chat.completions.create(model="m", messages=MESSAGES)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=call)
    t.start()
    deadline = time.monotonic() + 5
    while not srv.chat_requests() and time.monotonic() < deadline:
        time.sleep(0.01)
    t0 = time.monotonic()
    srv.stop()
    assert time.monotonic() - t0 < 1
    t.join(timeout=5)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], openai.APIConnectionError)


def test_api_key_not_leaked_to_output(srv, capfd):
    srv.queue(status(401), malformed(), stream_cut("abcdefgh", 1), hang(0.1))
    c = client(srv)
    for _ in range(4):
        with pytest.raises(Exception):
            c.chat.completions.create(model="m", messages=MESSAGES)
    out, err = capfd.readouterr()
    assert API_KEY not in out + err
    assert API_KEY not in repr(srv)
    assert all(API_KEY in r.headers["authorization"] for r in srv.requests)


# --------------------------------------------------------------------------- embeddings


def test_embeddings_float_and_base64_agree_and_are_deterministic(srv):
    c = client(srv)
    texts = ["政府工作报告", "GDP增长5%左右", "政府工作报告"]

    as_float = c.embeddings.create(model="fake-embed", input=texts, encoding_format="float")
    default = c.embeddings.create(model="fake-embed", input=texts)  # client asks for base64 and decodes
    as_b64 = c.embeddings.create(model="fake-embed", input=texts, encoding_format="base64")

    assert srv.requests[1].body["encoding_format"] == "base64"
    vf = [d.embedding for d in as_float.data]
    vd = [d.embedding for d in default.data]
    vb = [list(struct.unpack("<64f", base64.b64decode(d.embedding))) for d in as_b64.data]
    assert vf == vd == vb
    assert vf == [fake_embedding(t, 64) for t in texts]
    assert all(len(v) == 64 for v in vf)
    assert all(math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, rel_tol=1e-5) for v in vf)
    assert vf[0] == vf[2] and vf[0] != vf[1]
    assert [d.index for d in as_float.data] == [0, 1, 2]
    assert as_float.usage.prompt_tokens > 0


def test_embeddings_dimension_configurable(srv):
    c = client(srv)
    assert len(c.embeddings.create(model="e", input="x", dimensions=16).data[0].embedding) == 16
    srv.embedding_dim = 8
    assert c.embeddings.create(model="e", input="x").data[0].embedding == fake_embedding("x", 8)


def test_embeddings_faults(srv):
    srv.queue_embeddings(status(503), stream_cut("", 0))
    c = client(srv)
    with pytest.raises(openai.InternalServerError):
        c.embeddings.create(model="e", input="x")
    with pytest.raises(openai.APIConnectionError):
        c.embeddings.create(model="e", input="x")
    assert len(c.embeddings.create(model="e", input="x").data) == 1
