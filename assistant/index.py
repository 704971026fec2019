"""The index: paragraphs and their sentence windows in Chroma, plus a jieba BM25.

Retrieval units are sentence windows (a long paragraph states several facts);
answers cite the parent paragraph.  Ids are content hashes, so ingesting twice
changes nothing, an edited document replaces only its own paragraphs, and a
killed ingest is finished by the next one.

``Store.sync`` brings the index in line with a list of paragraphs; the library
(``library.py``) decides which documents those are and commits its record between
writing new units and deleting stale ones.  A ``Store.view(pids)`` reads only the
paragraphs of a committed record, so units of an add in progress stay unseen.
"""
from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from .clean import SECTION_SEP, Paragraph, clean_documents
from .config import Config
from .embed import embedder_id, make_embedder
from .errors import DocumentError, IngestBusyError, StoreError
from .load import discover, load_documents
from . import tokenize

log = logging.getLogger(__name__)

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

WINDOW_CHARS = 120
# Bump when cleaning, chunking or reading a document's place changes, so existing indexes are rebuilt on next use.
INDEX_VERSION = "29"
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
_BATCH = 32
_WRITE_BATCH = 5000  # under Chroma's max batch size (5461 with SQLite)


@dataclass(frozen=True)
class Unit:
    """One retrieval unit: a sentence window of a paragraph (or the paragraph itself)."""

    id: str
    pid: str
    text: str

    def embed_text(self, p: Paragraph) -> str:
        """What the embedder sees: the window with its year, region and heading."""
        return f"{_context(p)}：{self.text}"


def _context(p: Paragraph) -> str:
    heading = p.section.split(SECTION_SEP)[-1] if p.section else ""
    years = "、".join(f"{y}年" for y in p.years[:2])
    return f"{years}{p.region}{heading}"


def sentences(text: str) -> list[str]:
    """Sentences (and semicolon clauses) of a paragraph, punctuation kept."""
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def windows(p: Paragraph, size: int = WINDOW_CHARS) -> list[Unit]:
    """Pack consecutive sentences into windows of about ``size`` characters."""
    parts = sentences(p.text)
    out: list[str] = []
    current = ""
    for s in parts:
        if current and len(current) + len(s) > size:
            out.append(current)
            current = ""
        current += s
    if current:
        out.append(current)
    return [Unit(f"{p.id}:{i}", p.id, w) for i, w in enumerate(out or [p.text])]


@dataclass
class IngestReport:
    documents: int = 0
    paragraphs: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.documents} documents, {self.paragraphs} paragraphs: {self.added} added, "
            f"{self.updated} updated, {self.removed} removed in {self.seconds:.1f} s"
            + (f"; {len(self.errors)} file(s) skipped" if self.errors else "")
        )


def _client(config: Config):  # noqa: ANN202 - chromadb has no public client base type
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if config.chroma_host:
        try:
            return chromadb.HttpClient(host=config.chroma_host, port=config.chroma_port, settings=settings)
        except Exception as exc:  # noqa: BLE001
            raise StoreError(
                f"cannot reach the Chroma server at {config.chroma_host}:{config.chroma_port} ({exc}); "
                "start it or unset CHROMA_HOST"
            ) from None
    config.chroma_dir.mkdir(parents=True, exist_ok=True)
    # Two processes creating a new store at once race on its SQLite schema: take turns.
    with _file_lock(Path(config.data_dir) / "client.lock", 120.0, "another process is opening the index"):
        try:
            return chromadb.PersistentClient(path=str(config.chroma_dir), settings=settings)
        except Exception as exc:  # noqa: BLE001 - chroma raises many types; the user needs one line
            raise StoreError(f"cannot open the index in {config.chroma_dir}: {exc}") from None


def ingest_lock(config: Config, wait_s: float) -> contextlib.AbstractContextManager[None]:
    """One ingest at a time per data directory; wait a while, then say who holds it."""
    return _file_lock(Path(config.data_dir) / "ingest.lock", wait_s,
                      "an ingest is already running on this data directory; wait for it to finish")


@contextlib.contextmanager
def _file_lock(path: Path, wait_s: float, busy: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestBusyError(busy) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Store:
    """The Chroma collection of retrieval units and the BM25 index beside it."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.embedder = make_embedder(config)
        self.embedder_name = embedder_id(self.embedder)
        self.client = _client(config)
        tokenize.init(Path(config.data_dir) / "cache")
        self._collection = None
        # Paragraph ids readers may see (a committed library record); None: every unit.
        self.visible: frozenset[str] | None = None

    def view(self, visible: frozenset[str] | None) -> "Store":
        """The same store (client, embedder) showing readers only these paragraphs."""
        other = copy.copy(self)
        other.visible = visible
        other._collection = None
        return other

    # --- collection ---------------------------------------------------------------
    def _existing(self):  # noqa: ANN202
        try:
            return self.client.get_collection(self.config.collection, embedding_function=self.embedder)
        except Exception as exc:  # noqa: BLE001 - chroma raises several types for "missing"
            if "does not exist" in str(exc) or "not found" in str(exc).lower():
                return None
            if "embedding function" in str(exc).lower() or "conflict" in str(exc).lower():
                raise StoreError(
                    f"the index was built with another embedder than {self.embedder_name}; "
                    "run `assistant ingest --rebuild` (or set ASSISTANT_EMBEDDER back)"
                ) from None
            raise StoreError(f"cannot open the index: {exc}") from None

    def collection(self, create: bool = False):  # noqa: ANN201
        """The collection, checked to be built by this embedder."""
        if self._collection is None:
            col = self._existing()
            if col is None and create:
                col = self.client.create_collection(
                    self.config.collection,
                    embedding_function=self.embedder,
                    metadata={"embedder": self.embedder_name, "docs": "{}"},
                    configuration={"hnsw": {"space": "cosine"}},
                )
            if col is None:
                raise StoreError("the index is empty: run `assistant ingest` first")
            built_with = (col.metadata or {}).get("embedder")
            if built_with and built_with != self.embedder_name:
                raise StoreError(
                    f"the index was built with the {built_with} embedder, not {self.embedder_name}; "
                    "run `assistant ingest --rebuild` or set ASSISTANT_EMBEDDER to match"
                )
            self._collection = col
        return self._collection

    def exists(self) -> bool:
        try:
            return self._existing() is not None
        except StoreError:
            return True

    def manifest(self) -> dict[str, str]:
        """{source: sha256} of the documents the index was last built from."""
        col = self.collection()
        return json.loads((col.metadata or {}).get("docs", "{}"))

    def drop(self) -> None:
        with contextlib.suppress(Exception):
            self.client.delete_collection(self.config.collection)
        self._collection = None
        shutil.rmtree(self._bm25_dir, ignore_errors=True)

    # --- ingest -------------------------------------------------------------------
    def ingest(self, paths: Sequence[Path], progress: bool = False, rebuild: bool = False,
               wait_s: float = 600.0) -> IngestReport:
        """Make the index hold exactly the documents of ``paths`` (a mirror, without a library
        record: the library in ``library.py`` is what the commands use)."""
        t0 = time.monotonic()
        with ingest_lock(self.config, wait_s):
            docs, errors = load_documents(paths)
            paragraphs, clean_errors = clean_documents(docs)
            errors_text = [str(e) for e in errors + clean_errors]
            if not paragraphs:
                why = "; ".join(errors_text) or "no .txt/.md/.html files"
                raise DocumentError(f"no report text found in {', '.join(str(p) for p in paths)} ({why})")
            report = self.sync(paragraphs, bar=progress, rebuild=rebuild, replace_other_embedder=True,
                               meta={"docs": json.dumps(_file_hashes(paths)),
                                     "paths": json.dumps([str(Path(p).resolve()) for p in paths])})
        report.errors = errors_text
        report.documents = len(docs)
        report.seconds = time.monotonic() - t0
        return report

    def sync(self, paragraphs: Sequence[Paragraph], *, progress: Callable[[str, float], None] | None = None,
             bar: bool = False, rebuild: bool = False, commit: Callable[[], None] | None = None,
             meta: dict[str, str] | None = None, replace_other_embedder: bool = False) -> IngestReport:
        """Bring the index in line with ``paragraphs``; the caller holds the ingest lock.

        Order matters for readers and for crashes: new (and re-contextualised) units are
        embedded and written, metadata changes are applied, then ``commit()`` runs (the
        library record: from then on readers use the new paragraphs), then stale units
        are deleted and the keyword index is rebuilt.  Killed before ``commit``, the
        extra units are ignored by readers of the old record and deleted by the next sync.
        ``progress(stage, fraction)`` is told how far embedding has got.  An index built by
        another embedder is an error (``ingest --rebuild`` replaces it) unless
        ``replace_other_embedder``.
        """
        t0 = time.monotonic()
        say = progress or (lambda stage, fraction: None)
        report = IngestReport(paragraphs=len(paragraphs))
        if rebuild:
            self.drop()
        elif replace_other_embedder:
            try:
                self.collection()
            except StoreError as exc:
                if "another embedder" in str(exc) or "embedder, not" in str(exc):
                    log.warning("%s: rebuilding", exc)
                    self.drop()
        col = self.collection(create=True)
        by_id = {p.id: p for p in paragraphs}
        units = [u for p in paragraphs for u in windows(p)]
        wanted = {u.id for u in units}
        have = _get_all(col, ["metadatas"])
        have_meta = dict(zip(have["ids"], have["metadatas"]))
        stale = [i for i in have_meta if i not in wanted]
        new: list[Unit] = []
        changed: list[Unit] = []
        for u in units:
            old = have_meta.get(u.id)
            if old is None:
                new.append(u)
            elif old != self._meta(u, by_id[u.pid]):
                # the text the embedder saw includes the year, place and heading: re-embed when they change
                (new if old.get("context") != _context(by_id[u.pid]) else changed).append(u)
        say(f"embedding {len(new)} passages", 0.0)
        tqdm_bar = _progress(len(new), bar)
        for start in range(0, len(new), _BATCH):
            chunk = new[start : start + _BATCH]
            vectors = self.embedder([u.embed_text(by_id[u.pid]) for u in chunk])
            col.upsert(
                ids=[u.id for u in chunk],
                embeddings=[np.asarray(v, dtype=np.float32).tolist() for v in vectors],
                documents=[u.text for u in chunk],
                metadatas=[self._meta(u, by_id[u.pid]) for u in chunk],
            )
            tqdm_bar.update(len(chunk))
            done = start + len(chunk)
            say(f"embedding {done}/{len(new)} passages", 0.9 * done / len(new))
        tqdm_bar.close()
        for start in range(0, len(changed), _WRITE_BATCH):
            chunk = changed[start : start + _WRITE_BATCH]
            col.update(ids=[u.id for u in chunk], metadatas=[self._meta(u, by_id[u.pid]) for u in chunk])
        say("saving", 0.92)
        if commit is not None:
            commit()
        for start in range(0, len(stale), _WRITE_BATCH):
            col.delete(ids=stale[start : start + _WRITE_BATCH])
        pids_before = {m["pid"] for m in have_meta.values()}
        report.added = len({u.pid for u in new} - pids_before)
        report.removed = len(pids_before - set(by_id))
        report.updated = len({u.pid for u in changed + new} & pids_before)
        col.modify(metadata={"embedder": self.embedder_name, "version": INDEX_VERSION, **(meta or {})})
        self._collection = None
        say("building the keyword index", 0.95)
        self.build_bm25()
        report.seconds = time.monotonic() - t0
        log.info("index: %s", report.summary())
        return report

    @staticmethod
    def _meta(u: Unit, p: Paragraph) -> dict:
        meta = p.metadata()
        meta.update({"pid": p.id, "ptext": p.text if u.id.endswith(":0") else "", "context": _context(p)})
        return meta

    # --- reading back -------------------------------------------------------------
    def load_units(self) -> tuple[list[str], list[str], list[dict]]:
        got = _get_all(self.collection(), ["documents", "metadatas"])
        return got["ids"], got["documents"], got["metadatas"]

    def state(self, ids: Sequence[str]) -> str:
        return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]

    @property
    def _bm25_dir(self) -> Path:
        return Path(self.config.data_dir) / "bm25" / self.config.collection

    def build_bm25(self) -> None:
        """Rebuild the keyword index, and a copy of the units it indexes, from what the store holds now."""
        bm25s = _bm25s()
        ids, docs, metas = self.load_units()
        if not ids:  # an empty library: nothing to search
            shutil.rmtree(self._bm25_dir, ignore_errors=True)
            return
        corpus = [tokenize.tokens(f"{m['context']} {d}") or ["∅"] for d, m in zip(docs, metas)]
        bm = bm25s.BM25()
        bm.index(corpus, show_progress=False)
        # A unique name: a reader rebuilding a stale index and a writer may both be here.
        tmp = self._bm25_dir.with_name(f"{self._bm25_dir.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        bm.save(str(tmp), show_progress=False)
        units = {"state": self.state(ids), "ids": ids, "docs": docs, "metas": metas}
        (tmp / "units.json").write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
        old = self._bm25_dir.with_name(f"{self._bm25_dir.name}.{os.getpid()}.{threading.get_ident()}.old")
        with contextlib.suppress(OSError):
            self._bm25_dir.rename(old)
        try:
            tmp.rename(self._bm25_dir)
        except OSError:  # another process put its copy there first: either copy is fine
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)

    def load_index(self):  # noqa: ANN201
        """Unit ids, texts, metadata and the BM25 index, as of the last ingest.

        Read from the copy saved beside the BM25 index when the store still holds exactly
        those units (an id-only read), since reading every unit back from Chroma costs
        seconds on a large corpus; rebuilt from the store when missing or stale.
        """
        bm25s = _bm25s()
        ids = _get_all(self.collection(), [], page=5000)["ids"]
        try:
            saved = json.loads((self._bm25_dir / "units.json").read_text(encoding="utf-8"))
            whole = len(saved["ids"]) == len(saved["docs"]) == len(saved["metas"])
            if saved["state"] != self.state(ids) or not whole:
                raise ValueError("stale")
            bm25 = bm25s.BM25.load(str(self._bm25_dir), show_progress=False)
        except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
            log.info("keyword index missing, stale or damaged (%s): rebuilding", type(exc).__name__)
            self.build_bm25()
            saved = json.loads((self._bm25_dir / "units.json").read_text(encoding="utf-8"))
            bm25 = bm25s.BM25.load(str(self._bm25_dir), show_progress=False)
        metas = saved["metas"]
        if self.visible is not None:  # units of uncommitted or removed documents: present, never cited
            metas = [m if m["pid"] in self.visible else {**m, "ptext": ""} for m in metas]
        return saved["ids"], saved["docs"], metas, bm25


def _get_all(col, include: list[str], page: int = 1000) -> dict[str, list]:  # noqa: ANN001
    """Every record of the collection, read a page at a time: one unpaged get of more than
    about 32k records exceeds SQLite's limit on query variables inside Chroma, and Chroma's
    memory grows with the page (37k windows: 0.9 GB peak in one get, 0.27 GB in pages of 1000)."""
    out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
    while True:
        got = col.get(include=include, limit=page, offset=len(out["ids"]))
        for key in out:
            out[key].extend(got[key])
        if len(got["ids"]) < page:
            return out


def _bm25s():  # noqa: ANN202 - the module
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import
    return bm25s


def _progress(total: int, enabled: bool):  # noqa: ANN202
    from tqdm import tqdm

    return tqdm(total=total, desc="embedding", unit="unit", disable=not enabled or total == 0)


def _file_hashes(paths: Sequence[Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in discover(paths):
        with contextlib.suppress(OSError):
            out[f.name] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def needs_ingest(store: Store, paths: Sequence[Path]) -> bool:
    """Missing, or older than the documents it was built from."""
    if not store.exists():
        return True
    built_version = (store.collection().metadata or {}).get("version")
    return built_version != INDEX_VERSION or store.manifest() != _file_hashes(paths)
