"""Crash safety of the index and the library.

* ``assistant ingest`` (the first, building the library of the bundled reports)
  SIGKILLed at a random point of the build: the library record is absent or whole;
  the next ingest finishes it, and the index then equals a clean build (same units,
  same vectors) and answers.
* Two ingests at once on one data directory: both succeed (the second waits for
  the lock and finds nothing to do) or one says cleanly that an ingest is already
  running.

Slow (one ~40 s build of the seeds plus a small build); marked ``slow``.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from assistant import Config
from assistant.clean import clean_documents
from assistant.index import Store, windows
from assistant.library import Library
from assistant.load import load_documents

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GDP_Q = "2023年青岛市生产总值是多少？"
GDP = "15760.3亿元"
SUMMARY = re.compile(r"(\d+) documents, (\d+) paragraphs: (\d+) added, (\d+) updated, (\d+) removed")


def cli_env(data_dir: Path, seeds: Path | None = None) -> dict:
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(data_dir), ASSISTANT_BACKEND="extractive")
    if seeds is not None:
        env["ASSISTANT_SEEDS_DIR"] = str(seeds)
    return env


def cli(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def popen(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


def rows_written(chroma_dir: Path) -> int:
    """Units the running ingest has written so far (Chroma's write log), read-only; 0 if unreadable yet."""
    db = chroma_dir / "chroma.sqlite3"
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
        try:
            return con.execute("SELECT count(*) FROM embeddings_queue").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def units(config: Config) -> dict[str, tuple[str, dict, np.ndarray]]:
    """{unit id: (text, metadata, vector)} of a store."""
    got = Store(config).collection().get(include=["documents", "metadatas", "embeddings"])
    return {i: (d, m, np.asarray(e, dtype=np.float32))
            for i, d, m, e in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])}


def expected_paragraph_ids(paths: list[Path]) -> set[str]:
    docs, _ = load_documents(paths)
    return {p.id for p in clean_documents(docs)[0]}


def expected_unit_ids(paths: list[Path]) -> set[str]:
    docs, _ = load_documents(paths)
    paragraphs, _ = clean_documents(docs)
    return {u.id for p in paragraphs for u in windows(p)}


def test_sigkill_during_ingest_then_reingest_matches_clean_build(tmp_path, assistant, record_property):
    reference = units(assistant.config)  # the session's clean build of the seeds
    data = tmp_path / "data"
    env = cli_env(data)

    proc = popen(env, "ingest")
    try:
        # Wait until the index exists and embedding has started (the first batch is written) ...
        deadline = time.monotonic() + 180
        while not (data / "chroma").exists() or rows_written(data / "chroma") == 0:
            assert proc.poll() is None, f"ingest ended before writing any unit: {proc.communicate()}"
            assert time.monotonic() < deadline, "the ingest wrote nothing in 180 s"
            time.sleep(0.1)
        # ... then kill it at a random point of the build.
        delay = random.uniform(0.5, 8.0)
        record_property("sigkill_after_s", round(delay, 2))
        time.sleep(delay)
        finished_first = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate(timeout=30)
    record_property("killed_before_finish", not finished_first)
    record_property("units_written_before_kill", rows_written(data / "chroma"))
    assert "Traceback" not in err
    if not finished_first:
        assert proc.returncode == -signal.SIGKILL
    # The library is not there yet, or whole: never some of the reports.
    record = Library(Config.from_env().with_(data_dir=data)).read()
    record_property("record_committed_before_kill", record is not None)
    if record is not None:
        assert sorted(e.name for e in record.entries) == sorted(f.name for f in SEEDS.iterdir())
        assert len(record.pids) == len(expected_paragraph_ids([SEEDS]))

    # The next ingest finishes the job.
    r = cli(env, "ingest")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    m = SUMMARY.search(r.stdout)
    assert m, r.stdout
    documents, paragraphs, added = int(m.group(1)), int(m.group(2)), int(m.group(3))
    record_property("resumed_added_paragraphs", added)
    assert documents == 5

    # Paragraph count: the corpus as cleaned == what the ingest reports == what a clean build holds.
    c = cli(env, "corpus", "--jsonl")
    assert c.returncode == 0, c.stderr
    corpus = [json.loads(line) for line in c.stdout.splitlines() if line.strip()]
    assert len(corpus) == paragraphs
    recovered = units(Config.from_env().with_(data_dir=data))
    assert len({meta["pid"] for _, meta, _ in recovered.values()}) == paragraphs
    assert len({meta["pid"] for _, meta, _ in reference.values()}) == paragraphs

    # Same units, texts, metadata and vectors as the clean build: nothing half-written survives.
    assert set(recovered) == set(reference) == expected_unit_ids([SEEDS])
    for uid, (doc, meta, vec) in reference.items():
        rdoc, rmeta, rvec = recovered[uid]
        assert rdoc == doc and rmeta == meta, uid
        assert np.allclose(rvec, vec, atol=1e-4), f"vector of {uid} differs from a clean build"

    listed = cli(env, "docs", "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(d["name"] for d in json.loads(listed.stdout)) == sorted(f.name for f in SEEDS.iterdir())

    # A third ingest has nothing to do; the store answers through the CLI.
    again = cli(env, "ingest")
    assert again.returncode == 0 and ": 0 added, 0 updated, 0 removed" in again.stdout, again.stdout
    a = cli(env, "ask", "--json", GDP_Q)
    assert a.returncode == 0, a.stderr
    answer = json.loads(a.stdout)
    assert GDP in answer["text"] and not answer["abstained"]


def test_two_ingests_at_once_on_one_data_dir(tmp_path, record_property):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("000_1724f72c45ccbe3f.txt", "002_92c4fe6edadaaa03.txt"):  # two small seeds: a quick build
        shutil.copy(SEEDS / name, docs / name)
    data = tmp_path / "data"
    env = cli_env(data, seeds=docs)

    t0 = time.monotonic()
    procs = [popen(env, "ingest", str(docs)) for _ in range(2)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    record_property("two_ingests_s", round(time.monotonic() - t0, 1))

    ok = [(out, err) for out, err, rc in results if rc == 0]
    busy = [(out, err) for out, err, rc in results if rc != 0]
    assert ok, results
    for out, err in busy:  # a clean refusal: one line, no traceback
        assert "Traceback" not in err
        errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1 and "already running" in errors[0], err
    for out, err, rc in results:
        assert "Traceback" not in err
    summaries = [SUMMARY.search(out) for out, _ in ok]
    assert all(summaries), ok
    paragraphs = {int(s.group(2)) for s in summaries}
    assert len(paragraphs) == 1
    total_added = sum(int(s.group(3)) for s in summaries)
    assert total_added == paragraphs.pop(), "the paragraphs were added exactly once in total"

    # Afterwards the store is complete and works.
    got = units(Config.from_env().with_(data_dir=data))
    assert set(got) == expected_unit_ids([docs])
    a = cli(env, "ask", "--json", GDP_Q)
    assert a.returncode == 0, a.stderr
    assert GDP in json.loads(a.stdout)["text"]
