"""Ingest is idempotent, edits replace only their own paragraphs, the embedder is remembered,
and the same code runs against a real Chroma server."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant import Config
from fake_openai import free_port
from assistant.errors import StoreError
from assistant.index import Store
from assistant.retrieve import Retriever

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SMALL = ("002_92c4fe6edadaaa03.txt", "004_fdaeeef95e5dbc8a.txt")


@pytest.fixture()
def small_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in SMALL:
        shutil.copy(SEEDS / name, docs / name)
    return docs


def test_reingest_changes_nothing_and_edit_touches_only_its_document(tmp_path, small_docs):
    store = Store(Config.from_env().with_(data_dir=tmp_path / "data"))
    first = store.ingest([small_docs])
    assert first.added == first.paragraphs > 0
    ids_before = set(store.load_units()[0])
    again = store.ingest([small_docs])
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    assert set(store.load_units()[0]) == ids_before

    edited = small_docs / SMALL[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n- 新建篮球场88处\n", encoding="utf-8")
    third = store.ingest([small_docs])
    assert third.removed == 0 and third.added + third.updated >= 1
    ids_after = set(store.load_units()[0])
    changed = ids_before ^ ids_after
    metas = {m["pid"]: m["source"] for m in store.load_units()[2]}
    assert changed and all(metas.get(i.split(":")[0], SMALL[0]) == SMALL[0] for i in changed)
    hits = Retriever(store).retrieve("2024年西海岸新区计划新建多少处篮球场？", 3)
    assert "88处" in hits[0].paragraph.text

    (small_docs / SMALL[1]).unlink()
    fourth = store.ingest([small_docs])
    assert fourth.removed > 0
    assert {m["source"] for m in store.load_units()[2]} == {SMALL[0]}


def test_collection_refuses_another_embedder(tmp_path, small_docs):
    cfg = Config.from_env().with_(data_dir=tmp_path / "data")
    Store(cfg).ingest([small_docs])
    with pytest.raises(StoreError, match="re-?ingest|ingest --rebuild"):
        Store(cfg.with_(embedder="use")).collection()


def test_same_ingest_and_query_against_a_chroma_server(tmp_path, small_docs):
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
        cfg = Config.from_env().with_(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port)
        report = Store(cfg).ingest([small_docs])
        assert report.added > 0
        assert Store(cfg).ingest([small_docs]).added == 0
        hits = Retriever.open(cfg).retrieve("2024年西海岸新区城镇新增就业多少人？", 3)
        assert "7.5万人" in hits[0].paragraph.text
        assert not (tmp_path / "data" / "chroma").exists()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_an_index_larger_than_one_read_page_is_read_back_whole(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = [f"{i}号片区新建停车位{i * 3 + 1}个，改造老旧管网{i + 5}公里。" for i in range(1, 1301)]
    (docs / "districts.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    store = Store(Config.from_env().with_(data_dir=tmp_path / "data", embedder="use"))
    first = store.ingest([docs])
    assert first.paragraphs == first.added == 1300
    assert len(set(store.load_units()[0])) == 1300
    again = store.ingest([docs])
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    hits = Retriever(store).retrieve("1187号片区新建多少个停车位？", 3)
    assert any("1187号片区新建停车位3562个" in h.paragraph.text for h in hits)


def test_a_lost_or_damaged_keyword_index_is_rebuilt_on_open(tmp_path, small_docs):
    data = tmp_path / "data"
    store = Store(Config.from_env().with_(data_dir=data))
    store.ingest([small_docs])
    question = "2024年西海岸新区生产总值是多少？"
    expected = [h.paragraph.id for h in Retriever(store).retrieve(question, 3)]
    saved = sorted(p for p in data.rglob("*") if p.is_file() and "bm25" in p.relative_to(data).parts)
    assert len(saved) > 1
    for path in saved:
        for damage in (b"{not json \x00\xff", b"", None):
            if damage is None:
                path.unlink()
            else:
                path.write_bytes(damage)
            assert [h.paragraph.id for h in Retriever(store).retrieve(question, 3)] == expected, path.name
