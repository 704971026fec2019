"""Question answering over Chinese government work reports, with cited paragraphs
and every figure checked against its source.

    from assistant import Assistant
    answer = Assistant().ask("2023年全市生产总值达到多少亿元？")
"""
from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from .answer import Answer, Assistant, Citation  # noqa: E402
from .config import Config  # noqa: E402
from .errors import AssistantError  # noqa: E402

__all__ = ["Answer", "Assistant", "Citation", "Config", "AssistantError"]
__version__ = "0.1.0"
