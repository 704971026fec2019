"""Ingest is idempotent, edits replace only their own paragraphs, nothing is removed but by
``remove``, the embedder is remembered, and the same code runs against a real Chroma server."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Assistant, Config
from assistant.errors import StoreError
from assistant.index import Store
from assistant.library import Library
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
    cfg = Config.from_env().with_(data_dir=tmp_path / "data", seeds_dir=tmp_path / "no-seeds")
    library = Library(cfg)
    store = library.store
    first = library.add([small_docs])
    assert first.index.added == first.paragraphs > 0 and sorted(first.added) == sorted(SMALL)
    ids_before = set(store.load_units()[0])
    again = library.add([small_docs])
    assert again.index is None and sorted(again.unchanged) == sorted(SMALL)
    assert set(store.load_units()[0]) == ids_before

    edited = small_docs / SMALL[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n- 新建篮球场88处\n", encoding="utf-8")
    third = library.add([small_docs])
    assert third.replaced == [SMALL[0]] and third.unchanged == [SMALL[1]]
    assert third.index.removed == 0 and third.index.added + third.index.updated >= 1
    ids_after = set(store.load_units()[0])
    changed = ids_before ^ ids_after
    metas = {m["pid"]: m["source"] for m in store.load_units()[2]}
    assert changed and all(metas.get(i.split(":")[0], SMALL[0]) == SMALL[0] for i in changed)
    hits = Retriever(store).retrieve("2024年西海岸新区计划新建多少处篮球场？", 3)
    assert "88处" in hits[0].paragraph.text

    # a file gone from its folder stays in the library (a copy is kept); only `remove` removes it
    (small_docs / SMALL[1]).unlink()
    library.add([small_docs])
    assert {m["source"] for m in store.load_units()[2]} == set(SMALL)
    assert library.remove(SMALL[1]).removed > 0
    assert {m["source"] for m in store.load_units()[2]} == {SMALL[0]}
    assert [d.name for d in library.documents()] == [SMALL[0]]


def test_collection_refuses_another_embedder(tmp_path, small_docs):
    cfg = Config.from_env().with_(data_dir=tmp_path / "data", seeds_dir=small_docs)
    Store(cfg).ingest([small_docs])
    with pytest.raises(StoreError, match="re-?ingest|ingest --rebuild"):
        Store(cfg.with_(embedder="use")).collection()
    with pytest.raises(StoreError, match="ingest --rebuild"):  # never rebuilt behind the user's back
        Assistant(cfg.with_(embedder="use")).retriever  # noqa: B018


def test_same_ingest_and_query_against_a_chroma_server(tmp_path, small_docs, chroma_server):
    cfg = Config.from_env().with_(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=chroma_server,
                                  seeds_dir=tmp_path / "no-seeds")
    report = Library(cfg).add([small_docs])
    assert report.index.added > 0
    assert Library(cfg).add([small_docs]).index is None
    hits = Assistant(cfg).retriever.retrieve("2024年西海岸新区城镇新增就业多少人？", 3)
    assert "7.5万人" in hits[0].paragraph.text
    assert not (tmp_path / "data" / "chroma").exists()


def test_an_index_larger_than_one_read_page_is_read_back_whole(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = [f"{i}号片区新建停车位{i * 3 + 1}个，改造老旧管网{i + 5}公里。" for i in range(1, 1301)]
    (docs / "districts.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    library = Library(Config.from_env().with_(data_dir=tmp_path / "data", embedder="use",
                                              seeds_dir=tmp_path / "no-seeds"))
    store = library.store
    first = library.add([docs])
    assert first.paragraphs == first.index.added == 1300
    assert len(set(store.load_units()[0])) == 1300
    again = library.repair()  # a full sync over more units than one read page: nothing to do
    assert sum(e.paragraphs for e in again.entries) == 1300
    assert len(set(store.load_units()[0])) == 1300
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
