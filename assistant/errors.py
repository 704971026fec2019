"""Exceptions a user can act on; each message says what to do."""
from __future__ import annotations


class AssistantError(Exception):
    """Base class: the CLI prints the message in one line and exits non-zero."""


class ConfigError(AssistantError):
    """A setting is invalid."""


class DocumentError(AssistantError):
    """One document could not be read or holds no report text."""


class StoreError(AssistantError):
    """The index is missing, busy or was built with another embedder."""


class IngestBusyError(StoreError):
    """Another ingest holds the lock."""


class QuestionError(AssistantError):
    """The question cannot be asked (empty, only control characters...)."""


class LLMError(AssistantError):
    """The LLM endpoint failed after retries."""


class LocalModelError(AssistantError):
    """The bundled local model is not installed or failed to start."""
