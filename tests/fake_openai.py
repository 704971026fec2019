"""A fake OpenAI-compatible HTTP server for tests (stdlib only).

The paid LLM endpoint is the only thing the test suite fakes, and it is faked
as a *real* HTTP server on 127.0.0.1 that speaks the OpenAI wire protocol, so
the production code and the real ``openai`` client run unmodified against it.

Quick use::

    from fake_openai import FakeOpenAI, text, status, hang

    with FakeOpenAI() as srv:
        srv.queue(status(429, retry_after=0), text("你好"))   # 429, then 200
        client = OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=1)
        ...
        assert srv.requests[-1].body["model"] == "gpt-x"

Chat replies
------------
``POST /v1/chat/completions`` answers with a :class:`Reply`.  For each request
the server takes the next reply from ``srv.queue(...)`` if any is left,
otherwise it calls ``srv.responder(body)`` (default: ``text("OK")``).  A
responder may also return a plain ``str`` (treated as ``text(str)``).

Reply factories (all return :class:`Reply`):

``text(content, usage=None, finish_reason="stop")``
    Normal answer.  ``usage`` is computed roughly from lengths when None.
``status(code, retry_after=None, body=None, headers=None)``
    HTTP error with an OpenAI-style error JSON body (or ``body``: dict/str/bytes),
    and a ``Retry-After`` header when ``retry_after`` is given.
``hang(seconds=None)``
    Read the request, never answer.  Ends when ``stop()`` is called or after
    ``seconds``; then the connection is closed without any response.
``stream_cut(content, after_chunks)``
    Streaming: send the role chunk and the first ``after_chunks`` content
    chunks, then close the connection mid-body (chunked encoding never
    terminated, no ``[DONE]``).  Non-streaming: advertise the full
    Content-Length, send half of the JSON body, then close.
``malformed()``
    200 whose body is not valid JSON; for streams, a garbage ``data:`` line.
``empty()``
    A normal response whose content is ``""``.
``slow(content, delay)``
    Like ``text(content)`` but answers after ``delay`` seconds (interrupted by
    ``stop()``).

Streams are split into content chunks of ``srv.stream_chunk_chars`` characters
(default 4).  Every reply accepts extra response headers via ``headers=``
(``text``/``status``) or by setting ``Reply.headers``.

Embeddings
----------
``POST /v1/embeddings`` returns deterministic, L2-normalised vectors derived
from a SHA-256 of each input (see :func:`fake_embedding`); dimension is
``body["dimensions"]`` or ``srv.embedding_dim`` (default 64).  Values are
float32-exact so ``"float"`` and ``"base64"`` (little-endian float32) agree
bit for bit.  Faults can be scripted with ``srv.queue_embeddings(...)``
(``status``/``hang``/``stream_cut``/``malformed``/``slow``; other kinds give a
normal answer).

Secrets
-------
The Authorization header is kept only in memory, in ``srv.requests``; it is
never logged, printed, or echoed back in any response.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional, Union

__all__ = [
    "FakeOpenAI",
    "Reply",
    "RecordedRequest",
    "text",
    "status",
    "hang",
    "stream_cut",
    "malformed",
    "empty",
    "slow",
    "free_port",
    "fake_embedding",
    "rough_tokens",
]


# --------------------------------------------------------------------------- replies


@dataclass
class Reply:
    """What the fake answers to one request.  Build with the factory functions."""

    kind: str  # "text" | "status" | "hang" | "stream_cut" | "malformed"
    content: str = ""
    usage: Optional[dict] = None
    finish_reason: str = "stop"
    code: int = 200
    retry_after: Optional[float] = None
    body: Any = None
    seconds: Optional[float] = None  # hang duration / slow delay
    after_chunks: int = 0
    headers: dict = field(default_factory=dict)


def text(content: str, usage: Optional[dict] = None, finish_reason: str = "stop") -> Reply:
    """A normal answer; ``usage`` (prompt/completion/total_tokens) computed if None."""
    return Reply("text", content=content, usage=usage, finish_reason=finish_reason)


def status(
    code: int,
    retry_after: Optional[float] = None,
    body: Any = None,
    headers: Optional[dict] = None,
) -> Reply:
    """HTTP error ``code`` with an OpenAI-style error JSON (or ``body``)."""
    return Reply("status", code=code, retry_after=retry_after, body=body, headers=dict(headers or {}))


def hang(seconds: Optional[float] = None) -> Reply:
    """Never answer (until ``stop()`` or ``seconds`` pass; then close silently)."""
    return Reply("hang", seconds=seconds)


def stream_cut(content: str, after_chunks: int) -> Reply:
    """Send ``after_chunks`` content chunks (or half the JSON body), then drop the connection."""
    return Reply("stream_cut", content=content, after_chunks=after_chunks)


def malformed() -> Reply:
    """200 with a body that is not JSON (a garbage ``data:`` line for streams)."""
    return Reply("malformed")


def empty() -> Reply:
    """A normal response whose message content is the empty string."""
    return Reply("text", content="")


def slow(content: str, delay: float) -> Reply:
    """``text(content)`` sent after ``delay`` seconds."""
    return Reply("text", content=content, seconds=delay)


_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    409: ("invalid_request_error", "conflict"),
    422: ("invalid_request_error", None),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    502: ("server_error", None),
    503: ("server_error", "service_unavailable"),
    504: ("server_error", None),
}


def _error_json(code: int, message: Optional[str] = None) -> dict:
    etype, ecode = _ERROR_TYPES.get(code, ("server_error" if code >= 500 else "invalid_request_error", None))
    return {
        "error": {
            "message": message or f"Fake OpenAI error {code}.",
            "type": etype,
            "param": None,
            "code": ecode,
        }
    }


# --------------------------------------------------------------------------- helpers


def rough_tokens(s: str) -> int:
    """Very rough token count: 1 per non-ASCII char (CJK), 1 per 4 ASCII chars."""
    if not s:
        return 0
    non_ascii = sum(1 for ch in s if ord(ch) > 127)
    ascii_n = len(s) - non_ascii
    return non_ascii + math.ceil(ascii_n / 4)


def _message_text(messages: Any) -> str:
    parts: list[str] = []
    if isinstance(messages, list):
        for m in messages:
            if not isinstance(m, dict):
                continue
            c = m.get("content")
            if isinstance(c, str):
                parts.append(c)
            elif isinstance(c, list):  # content parts
                for p in c:
                    if isinstance(p, dict) and isinstance(p.get("text"), str):
                        parts.append(p["text"])
    return "\n".join(parts)


def fake_embedding(text_or_tokens: Any, dim: int = 64) -> list[float]:
    """Deterministic unit vector (float32-exact values) for one embeddings input."""
    if isinstance(text_or_tokens, str):
        seed = b"s:" + text_or_tokens.encode("utf-8")
    else:
        seed = b"t:" + json.dumps(text_or_tokens).encode("utf-8")
    raw: list[float] = []
    counter = 0
    while len(raw) < dim:
        digest = hashlib.sha256(counter.to_bytes(4, "little") + seed).digest()
        for (u,) in struct.iter_unpack("<I", digest):
            raw.append(u / 0xFFFFFFFF * 2.0 - 1.0)
        counter += 1
    raw = raw[:dim]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    vec = [x / norm for x in raw]
    # Round to float32 so JSON floats and base64 float32 bytes are identical.
    return list(struct.unpack(f"<{dim}f", struct.pack(f"<{dim}f", *vec)))


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (for connection-refused tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    # The socket is closed (never listened), so connecting gets ECONNREFUSED.


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict  # header names lower-cased
    body: Any  # parsed JSON, or None if absent/invalid
    raw: bytes = b""


# --------------------------------------------------------------------------- server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake: "FakeOpenAI"):
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request, client_address):  # noqa: D401
        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, ValueError)) or self.fake._stop_event.is_set():
            return  # dropped connections are expected with fault injection
        traceback.print_exc()  # tracebacks carry no header values


class _Cut(Exception):
    """Raised inside a handler to drop the connection immediately."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive + chunked streaming, like the real API
    server_version = "FakeOpenAI/1.0"
    sys_version = ""

    server: _Server

    # Silence the default stderr request logging entirely.
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, False)

    # ---------------------------------------------------------------- plumbing
    def _read_body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _record(self, raw: bytes) -> Any:
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.fake._record(RecordedRequest(self.command, self.path, headers, body, raw))
        return body

    def _send_json(self, code: int, obj: Any, headers: Optional[dict] = None) -> None:
        data = obj if isinstance(obj, bytes) else (
            obj.encode("utf-8") if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False).encode("utf-8")
        )
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", "req_" + uuid.uuid4().hex[:16])
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _start_stream(self, headers: Optional[dict] = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("x-request-id", "req_" + uuid.uuid4().hex[:16])
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.flush()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _event(self, obj: Any) -> None:
        payload = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
        self._chunk(f"data: {payload}\n\n".encode("utf-8"))

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        """Close the connection without finishing the response."""
        self.close_connection = True
        raise _Cut()

    def _wait(self, seconds: Optional[float]) -> bool:
        """Sleep (interruptibly).  Returns True if stop() was called."""
        return self.server.fake._stop_event.wait(seconds)

    # ---------------------------------------------------------------- dispatch
    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except _Cut:
            self.close_connection = True
            try:
                self.wfile.flush()
            except OSError:
                pass

    def do_GET(self) -> None:
        self._record(b"")
        path = self.path.split("?", 1)[0].rstrip("/")
        fake = self.server.fake
        if path == "/v1/models":
            self._send_json(200, {"object": "list", "data": [_model_obj(m) for m in fake.models]})
        elif path.startswith("/v1/models/") and path[len("/v1/models/"):] in fake.models:
            self._send_json(200, _model_obj(path[len("/v1/models/"):]))
        else:
            self._send_json(404, _error_json(404, f"Unknown path {path}"))

    def do_POST(self) -> None:
        raw = self._read_body()
        body = self._record(raw)
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/v1/chat/completions":
            if not isinstance(body, dict):
                self._send_json(400, _error_json(400, "Request body is not a JSON object."))
                return
            self._chat(body)
        elif path == "/v1/embeddings":
            if not isinstance(body, dict):
                self._send_json(400, _error_json(400, "Request body is not a JSON object."))
                return
            self._embeddings(body)
        else:
            self._send_json(404, _error_json(404, f"Unknown path {path}"))

    # ---------------------------------------------------------------- chat
    def _chat(self, body: dict) -> None:
        try:
            reply = self.server.fake._next_chat_reply(body)
        except Exception as exc:  # a broken responder is a test bug: make it loud
            traceback.print_exc()
            self._send_json(500, _error_json(500, f"fake responder raised {type(exc).__name__}"))
            return
        stream = bool(body.get("stream"))
        model = body.get("model") or "fake-model"
        cid = "chatcmpl-" + uuid.uuid4().hex[:24]
        created = int(time.time())

        if reply.kind == "hang":
            self._wait(reply.seconds)
            self._drop()
        if reply.kind == "status":
            self._status(reply)
            return
        if reply.seconds and reply.kind == "text":  # slow()
            if self._wait(reply.seconds):
                self._drop()

        if reply.kind == "malformed":
            if stream:
                self._start_stream(reply.headers)
                self._chunk(b"data: {this is not json]]\n\n")
                self._chunk(b"data: [DONE]\n\n")
                self._end_stream()
            else:
                self._send_json(200, b'{"id": "chatcmpl-broken", "choices": [<<not json>>', reply.headers)
            return

        content = reply.content
        usage = _usage(body, content, reply.usage)

        if not stream:
            obj = {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": model,
                "system_fingerprint": "fp_fake",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "logprobs": None,
                        "finish_reason": reply.finish_reason,
                    }
                ],
                "usage": usage,
            }
            if reply.kind == "stream_cut":
                data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self._drop()
            self._send_json(200, obj, reply.headers)
            return

        # streaming
        n = max(1, int(self.server.fake.stream_chunk_chars))
        pieces = [content[i : i + n] for i in range(0, len(content), n)]

        def chunk(delta: dict, finish: Optional[str] = None) -> dict:
            return {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            }

        self._start_stream(reply.headers)
        self._event(chunk({"role": "assistant", "content": "", "refusal": None}))
        for i, piece in enumerate(pieces):
            if reply.kind == "stream_cut" and i >= reply.after_chunks:
                self._drop()
            self._event(chunk({"content": piece}))
        if reply.kind == "stream_cut":
            self._drop()
        self._event(chunk({}, reply.finish_reason))
        opts = body.get("stream_options")
        if isinstance(opts, dict) and opts.get("include_usage"):
            self._event(
                {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "system_fingerprint": "fp_fake",
                    "choices": [],
                    "usage": usage,
                }
            )
        self._event("[DONE]")
        self._end_stream()

    def _status(self, reply: Reply) -> None:
        headers = dict(reply.headers)
        if reply.retry_after is not None:
            ra = reply.retry_after
            headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
        body = reply.body if reply.body is not None else _error_json(reply.code)
        self._send_json(reply.code, body, headers)

    # ---------------------------------------------------------------- embeddings
    def _embeddings(self, body: dict) -> None:
        reply = self.server.fake._next_embeddings_reply()
        if reply is not None:
            if reply.kind == "hang":
                self._wait(reply.seconds)
                self._drop()
            if reply.kind == "status":
                self._status(reply)
                return
            if reply.kind == "malformed":
                self._send_json(200, b'{"object": "list", "data": [<<not json>>', reply.headers)
                return
            if reply.seconds and self._wait(reply.seconds):
                self._drop()

        inp = body.get("input")
        if isinstance(inp, str) or (isinstance(inp, list) and inp and isinstance(inp[0], int)):
            inputs = [inp]
        elif isinstance(inp, list):
            inputs = inp
        else:
            self._send_json(400, _error_json(400, "'input' is required."))
            return
        dim = body.get("dimensions") or self.server.fake.embedding_dim
        fmt = body.get("encoding_format") or "float"
        data = []
        for i, item in enumerate(inputs):
            vec = fake_embedding(item, int(dim))
            emb: Any = vec
            if fmt == "base64":
                emb = base64.b64encode(struct.pack(f"<{len(vec)}f", *vec)).decode("ascii")
            data.append({"object": "embedding", "index": i, "embedding": emb})
        ptoks = sum(rough_tokens(x) if isinstance(x, str) else len(x) for x in inputs)
        obj = {
            "object": "list",
            "data": data,
            "model": body.get("model") or "fake-embed",
            "usage": {"prompt_tokens": ptoks, "total_tokens": ptoks},
        }
        if reply is not None and reply.kind == "stream_cut":
            raw = json.dumps(obj).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw[: len(raw) // 2])
            self.wfile.flush()
            self._drop()
        self._send_json(200, obj)


def _model_obj(mid: str) -> dict:
    return {"id": mid, "object": "model", "created": 1700000000, "owned_by": "fake-openai"}


def _usage(body: dict, content: str, given: Optional[dict]) -> dict:
    if given is not None:
        u = dict(given)
        u.setdefault("prompt_tokens", 0)
        u.setdefault("completion_tokens", 0)
        u.setdefault("total_tokens", u["prompt_tokens"] + u["completion_tokens"])
        return u
    p = rough_tokens(_message_text(body.get("messages")))
    c = rough_tokens(content)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _default_responder(body: dict) -> Reply:
    return text("OK")


class FakeOpenAI:
    """OpenAI-compatible HTTP server on 127.0.0.1:<ephemeral> running in a daemon thread.

    Attributes:
        base_url: ``"http://127.0.0.1:PORT/v1"`` (valid after ``start()``).
        port: the bound port.
        responder: ``callable(body: dict) -> Reply | str`` for chat requests
            once the queue is empty.  Default answers ``text("OK")``.
        requests: snapshot list of :class:`RecordedRequest` (thread-safe).
        embedding_dim: default embedding dimension (64).
        stream_chunk_chars: characters per streamed content chunk (4).
        models: ids listed by ``GET /v1/models``.
    """

    def __init__(
        self,
        responder: Optional[Callable[[dict], Union[Reply, str]]] = None,
        *,
        embedding_dim: int = 64,
        stream_chunk_chars: int = 4,
        models: Optional[list[str]] = None,
    ) -> None:
        self.responder: Callable[[dict], Union[Reply, str]] = responder or _default_responder
        self.embedding_dim = embedding_dim
        self.stream_chunk_chars = stream_chunk_chars
        self.models = list(models or ["fake-chat", "fake-embed"])
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._chat_queue: list[Reply] = []
        self._emb_queue: list[Reply] = []
        self._conns: set = set()
        self._stop_event = threading.Event()
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        self.port: int = 0
        self.base_url: str = ""

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> "FakeOpenAI":
        if self._server is not None:
            return self
        self._stop_event.clear()
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeOpenAI", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes hanging handlers and drops open connections. Returns promptly."""
        server = self._server
        if server is None:
            return
        self._stop_event.set()
        server.shutdown()
        server.server_close()
        with self._lock:
            conns = list(self._conns)
            self._conns.clear()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._server = None
        self._thread = None

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ---------------------------------------------------------------- scripting
    def queue(self, *replies: Union[Reply, str]) -> None:
        """Chat replies used one per request, in order, before the responder."""
        with self._lock:
            self._chat_queue.extend(_as_reply(r) for r in replies)

    def queue_embeddings(self, *replies: Union[Reply, str]) -> None:
        """Replies (mostly faults) used one per embeddings request, in order."""
        with self._lock:
            self._emb_queue.extend(_as_reply(r) for r in replies)

    def clear(self) -> None:
        """Forget recorded requests and queued replies (responder unchanged)."""
        with self._lock:
            self._requests.clear()
            self._chat_queue.clear()
            self._emb_queue.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def chat_requests(self) -> list[RecordedRequest]:
        """Recorded ``POST /v1/chat/completions`` requests only."""
        return [r for r in self.requests if r.path.split("?")[0].rstrip("/") == "/v1/chat/completions"]

    # ---------------------------------------------------------------- internals
    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(req)

    def _track(self, conn: Any, add: bool) -> None:
        with self._lock:
            (self._conns.add if add else self._conns.discard)(conn)

    def _next_chat_reply(self, body: dict) -> Reply:
        with self._lock:
            if self._chat_queue:
                return self._chat_queue.pop(0)
        return _as_reply(self.responder(body))

    def _next_embeddings_reply(self) -> Optional[Reply]:
        with self._lock:
            return self._emb_queue.pop(0) if self._emb_queue else None

    def __repr__(self) -> str:  # never includes request headers
        return f"FakeOpenAI(base_url={self.base_url!r}, requests={len(self._requests)})"


def _as_reply(r: Union[Reply, str]) -> Reply:
    if isinstance(r, Reply):
        return r
    if isinstance(r, str):
        return text(r)
    raise TypeError(f"responder must return Reply or str, got {type(r).__name__}")
