"""Shared fixtures: a temporary data directory for the whole session (tests never
touch real state), one index of the seeds built once, and the fake LLM endpoint.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Before anything imports the package: no network, no real user state, no LLM.
for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_BACKEND", "ASSISTANT_EMBEDDER", "CHROMA_HOST",
            "ASSISTANT_UI_AUTH", "ASSISTANT_MODEL"):
    os.environ.pop(var, None)
os.environ.update({
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
})

from fake_openai import FakeOpenAI  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's data directory (index, caches, feedback) via ASSISTANT_DATA_DIR."""
    path = tmp_path_factory.mktemp("assistant-data")
    os.environ["ASSISTANT_DATA_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def config(data_dir: Path):
    from assistant import Config

    return Config.from_env()


@pytest.fixture(scope="session")
def assistant(config):
    """An extractive Assistant over the seeds; the index is built once per session."""
    from assistant import Assistant

    a = Assistant(config)
    a.retriever  # noqa: B018 - build now, not inside the first timed test
    return a


@pytest.fixture()
def fake_llm():
    with FakeOpenAI() as server:
        yield server


def openai_assistant(config, base_url: str, **overrides):  # noqa: ANN001, ANN201
    """An Assistant on the openai backend at base_url, with short test timeouts (overridable),
    its index already open so that the first timed question does not pay for it."""
    from assistant import Assistant

    settings = {"backend": "openai", "openai_base_url": base_url, "openai_api_key": "sk-test-123",
                "request_timeout_s": 2.0, "max_retries": 2, "question_timeout_s": 8.0, **overrides}
    a = Assistant(config.with_(**settings))
    a.retriever  # noqa: B018
    return a


@pytest.fixture(name="openai_assistant")
def openai_assistant_fixture():
    """The ``openai_assistant`` factory, for tests that need other endpoints or timeouts."""
    return openai_assistant


@pytest.fixture()
def llm_assistant(assistant, fake_llm):
    """An Assistant on the openai backend pointed at the fake endpoint (same data dir, same index)."""
    return openai_assistant(assistant.config, fake_llm.base_url)


@pytest.fixture()
def chroma_server(tmp_path: Path):
    """A real `chroma run` server on 127.0.0.1 for the test; yields its port."""
    import shutil
    import subprocess
    import time
    import urllib.request

    from fake_openai import free_port

    port = free_port()
    chroma = shutil.which("chroma", path=os.path.dirname(sys.executable)) or shutil.which("chroma")
    assert chroma, "the chroma CLI comes with the chromadb package"
    log = open(tmp_path / "chroma.log", "w")
    server = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline, "chroma server did not start"
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
