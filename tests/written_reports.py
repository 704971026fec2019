"""Helpers for the tests that ask questions of short reports written for them."""
from __future__ import annotations

import pytest

from assistant import Assistant, Config
from assistant.numbers import figures


def library_of(tmp_path_factory: pytest.TempPathFactory, name: str, reports: dict[str, str]) -> Assistant:
    """An Assistant whose library holds only these reports (file name → text), in temp dirs."""
    folder = tmp_path_factory.mktemp(f"{name}-reports")
    for file_name, text in reports.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    data = tmp_path_factory.mktemp(f"{name}-data")
    return Assistant(Config.from_env().with_(data_dir=data, seeds_dir=folder))


def first_figure(answer) -> str:  # noqa: ANN001
    """The first figure an answer shows (not its citation markers or years)."""
    text = answer.text
    shown = [q.figure for q in figures(text) if q.unit and not (q.start and text[q.start - 1] == "[")]
    return shown[0] if shown else ""
