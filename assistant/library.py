"""The library: the documents the assistant answers from (the bundled reports and the user's).

The library is a record of documents, not a mirror of a folder.  Adding never
removes anything; only ``remove`` does.  Each document is kept as a copy inside
the data directory, so a user moving or deleting their file loses nothing, and
the index can always be rebuilt from the record alone::

    data_dir/library/library.json               the record (see ``Record``)
    data_dir/library/files/<sha256>/<name>      a copy of each document, by content

With ``CHROMA_HOST`` set, the record and the copies are also kept in the Chroma
server (collection ``<collection>-library``), so every process and machine that
shares the server sees the same library; the server's record is the one read.

Nothing lost, nothing half-seen:

* A change (add, replace, remove, correct, rebuild) runs under the data
  directory's ingest lock.  It re-cleans every library document (cleaning is fast
  and cross-document de-duplication needs them all) and brings the index in line:
  new units are embedded and written first, then the record is committed
  (temp file + fsync + ``os.replace``), then stale units are deleted.
* Readers only see paragraphs the committed record lists (``Record.pids``), so a
  unit written by an add that has not committed, or was killed, is ignored; the
  next change deletes it.  A SIGKILL at any point leaves the library as it was or
  with the whole document.
* Readers check the record's stamp (file identity, or the server record's
  version) before each question and switch to the new snapshot when it changed.
"""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .clean import Paragraph, clean_document, clean_documents
from .config import Config
from .errors import DocumentError, StoreError
from .index import INDEX_VERSION, IngestReport, Store, ingest_lock
from .load import Document, discover, load_document
from . import numbers

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
RECORD_FORMAT = 1
_MAX_NAME = 160
_BLOB_CHUNK = 512 * 1024
_COMMIT_TRIES = 3


@dataclass
class DocInfo:
    """One document of the library, as ``assistant docs`` lists it."""

    name: str
    place: str
    year: int | None
    kind: str
    paragraphs: int
    figures: int
    added: str
    sha256: str
    format: str
    place_override: str | None = None
    year_override: int | None = None
    bundled: bool = False  # one of the bundled reports (ASSISTANT_SEEDS_DIR) the library started with


@dataclass
class AddReport:
    """What an add did, per file name; ``skipped`` holds "name: reason" one-liners.

    ``documents``/``paragraphs`` describe the whole library afterwards and ``index``
    the paragraph-level changes (None when nothing had to be written)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    documents: int = 0
    paragraphs: int = 0
    index: IngestReport | None = None

    def lines(self) -> list[str]:
        """One line per file: ``added: name`` … ``skipped: name: reason``."""
        return ([f"added: {n}" for n in self.added] + [f"replaced: {n}" for n in self.replaced]
                + [f"unchanged: {n}" for n in self.unchanged] + [f"skipped: {s}" for s in self.skipped])

    def summary(self) -> str:
        ix = self.index or IngestReport()
        return (f"library: {self.documents} documents, {self.paragraphs} paragraphs: {ix.added} added, "
                f"{ix.updated} updated, {ix.removed} removed in {self.seconds:.1f} s "
                f"(files: {len(self.added)} added, {len(self.replaced)} replaced, "
                f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped)")


# --------------------------------------------------------------------------- the record


@dataclass
class Entry:
    """One document in the record: what the user gave and what the index found."""

    name: str
    sha256: str
    format: str
    bytes: int
    added: str
    updated: str
    place_override: str | None = None
    year_override: int | None = None
    place: str = ""
    year: int | None = None
    kind: str = ""
    paragraphs: int = 0
    figures: int = 0
    bundled: bool = False
    pids: list[str] = field(default_factory=list)

    def info(self) -> DocInfo:
        return DocInfo(self.name, self.place, self.year, self.kind, self.paragraphs, self.figures, self.added,
                       self.sha256, self.format, self.place_override, self.year_override, self.bundled)

    @classmethod
    def from_dict(cls, d: dict) -> "Entry":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Record:
    """The committed library: ``version`` grows by one per commit, ``commit`` is unique."""

    version: int
    commit: str
    saved: str
    index_version: str
    entries: list[Entry]

    @property
    def pids(self) -> frozenset[str]:
        return frozenset(pid for e in self.entries for pid in e.pids)

    def get(self, name: str) -> Entry | None:
        return next((e for e in self.entries if e.name == name), None)

    def to_json(self) -> str:
        data = {"format": RECORD_FORMAT, "version": self.version, "commit": self.commit, "saved": self.saved,
                "index_version": self.index_version, "documents": [dataclasses.asdict(e) for e in self.entries]}
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Record":
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
            raise ValueError(f"unknown record format {data.get('format') if isinstance(data, dict) else data!r}")
        return cls(int(data["version"]), str(data["commit"]), str(data.get("saved", "")),
                   str(data.get("index_version", "")), [Entry.from_dict(e) for e in data["documents"]])


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def safe_name(raw: str) -> str:
    """A file name fit to be a library key and a file name: no folders, no control characters."""
    base = re.split(r"[\\/]", str(raw))[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip().strip(".").strip()
    if len(base) > _MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        keep = "." + suffix if dot and len(suffix) <= 10 else ""
        base = base[: _MAX_NAME - len(keep)] + keep
    if not base or base in {".", ".."}:
        raise DocumentError(f"{raw!r}: not a usable file name")
    return base


def _atomic_write(path: Path, data: bytes) -> None:
    """Write a file so that a reader (or a crash) sees the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with contextlib.suppress(OSError):
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Conflict(Exception):
    """Another machine committed the server's record while this change was being made."""


# --------------------------------------------------------------------------- the server copy


class _Server:
    """The record and the document copies kept in a Chroma server (one small collection)."""

    RECORD = "record"

    def __init__(self, store: Store, name: str) -> None:
        self.client = store.client
        self.name = name
        self._col = None

    def col(self):  # noqa: ANN201
        if self._col is None:
            try:
                self._col = self.client.get_or_create_collection(
                    self.name, embedding_function=None, metadata={"holds": "report-assistant library"})
            except Exception as exc:  # noqa: BLE001
                raise StoreError(f"cannot open the library on the Chroma server: {exc}") from None
        return self._col

    def stamp(self) -> tuple | None:
        got = self.col().get(ids=[self.RECORD], include=["metadatas"])
        if not got["ids"]:
            return None
        m = got["metadatas"][0] or {}
        return ("server", m.get("version"), m.get("commit"))

    def read(self) -> Record | None:
        got = self.col().get(ids=[self.RECORD], include=["documents"])
        if not got["ids"]:
            return None
        return Record.from_json(got["documents"][0])

    def write(self, record: Record) -> None:
        self.col().upsert(ids=[self.RECORD], documents=[record.to_json()], embeddings=[[0.0]],
                          metadatas=[{"version": record.version, "commit": record.commit}])

    @staticmethod
    def _parts(size: int) -> int:
        return max(1, -(-size // _BLOB_CHUNK))

    def has_blob(self, sha: str, size: int) -> bool:
        last = f"blob:{sha}:{self._parts(size) - 1}"
        return bool(self.col().get(ids=[last], include=[])["ids"])

    def put_blob(self, sha: str, data: bytes) -> None:
        n = self._parts(len(data))
        for i in range(n):  # the last part goes last: its presence means the blob is whole
            chunk = base64.b64encode(data[i * _BLOB_CHUNK : (i + 1) * _BLOB_CHUNK]).decode("ascii")
            self.col().upsert(ids=[f"blob:{sha}:{i}"], documents=[chunk], embeddings=[[0.0]],
                              metadatas=[{"sha": sha, "part": i, "parts": n}])

    def get_blob(self, sha: str, size: int) -> bytes | None:
        ids = [f"blob:{sha}:{i}" for i in range(self._parts(size))]
        got = self.col().get(ids=ids, include=["documents"])
        parts = dict(zip(got["ids"], got["documents"]))
        if set(parts) != set(ids):
            return None
        data = b"".join(base64.b64decode(parts[i]) for i in ids)
        return data if _sha256(data) == sha else None

    def prune_blobs(self, keep: set[str]) -> None:
        got = self.col().get(where={"part": {"$gte": 0}}, include=["metadatas"])
        stale = [i for i, m in zip(got["ids"], got["metadatas"]) if (m or {}).get("sha") not in keep]
        if stale:
            self.col().delete(ids=stale)


# --------------------------------------------------------------------------- the library


@dataclass
class _Incoming:
    """A file being added: where it is, what it is called in the library, its bytes' hash."""

    name: str
    path: Path
    sha256: str
    size: int
    format: str
    bundled: bool = False


@dataclass
class _Txn:
    """One change being made to the library."""

    base: Record | None
    entries: dict[str, Entry]
    incoming: dict[str, _Incoming] = field(default_factory=dict)
    rebuild: bool = False
    rejected: dict[str, str] = field(default_factory=dict)  # name -> why, found while cleaning
    index: IngestReport | None = None


class Library:
    """The record of documents and the operations on it; the index follows the record."""

    def __init__(self, config: Config, store: Store | None = None) -> None:
        self.config = config
        self.root = Path(config.data_dir) / "library"
        self.record_path = self.root / "library.json"
        self.files_dir = self.root / "files"
        self._store = store
        self._store_lock = threading.Lock()
        self._server: _Server | None = None

    # --- plumbing -------------------------------------------------------------------
    @property
    def store(self) -> Store:
        with self._store_lock:
            if self._store is None:
                self._store = Store(self.config)
            return self._store

    @property
    def server(self) -> _Server | None:
        if not self.config.chroma_host:
            return None
        if self._server is None:
            self._server = _Server(self.store, f"{self.config.collection}-library")
        return self._server

    def _copy_path(self, name: str, sha: str) -> Path:
        return self.files_dir / sha / name

    # --- reading --------------------------------------------------------------------
    def stamp(self) -> tuple | None:
        """A cheap fingerprint of the committed record: it changes with every commit."""
        if self.server is not None:
            return self.server.stamp()
        try:
            st = os.stat(self.record_path)
        except FileNotFoundError:
            return None
        return ("file", st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> Record | None:
        """The committed record, or None on first run."""
        try:
            if self.server is not None:
                return self.server.read()
            text = self.record_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read the library record {self.record_path}: {exc.strerror}") from None
        try:
            return Record.from_json(text)
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                f"the library record {self.record_path} is damaged ({exc}); restore it from a backup, or move "
                f"it away to start again from the bundled reports (the copies stay in {self.files_dir})"
            ) from None

    def read_with_stamp(self) -> tuple[Record | None, tuple | None]:
        """The record and its stamp, read consistently (the stamp is read on both sides)."""
        for _ in range(5):
            before = self.stamp()
            record = self.read()
            if self.stamp() == before:
                return record, before
        return record, self.stamp()

    def ensure(self, progress: Progress | None = None) -> Record:
        """The record; on first run, build the library from the bundled reports."""
        record = self.read()
        if record is not None:
            return record
        record, _ = self._change(lambda txn: None, progress)
        return record

    def documents(self) -> list[DocInfo]:
        return [e.info() for e in self.ensure().entries]

    def paragraphs(self) -> tuple[list[Paragraph], list[DocumentError]]:
        """The cleaned paragraphs of the library, as indexed (nothing is written)."""
        record = self.read()
        if record is None:
            entries, incoming, errors = self._initial()
            docs = [dataclasses.replace(load_document(i.path, self._max_bytes()), source=n)
                    for n, i in incoming.items()]
        else:
            docs, errors = self._load(record.entries)
            entries = {e.name: e for e in record.entries}
        paragraphs, clean_errors = clean_documents(docs)
        _apply_overrides(paragraphs, entries)
        return paragraphs, errors + clean_errors

    # --- changing -------------------------------------------------------------------
    def add(self, paths: Sequence[Path], place: str | None = None, year: int | None = None,
            progress: Progress | None = None, rebuild: bool = False, wait_s: float = 600.0) -> AddReport:
        """Add files or folders; an unchanged file is a no-op, a changed one replaces its own paragraphs."""
        t0 = time.monotonic()
        say = progress or _quiet
        say("reading files", 0.0)
        report = AddReport()
        given: list[Path] = []
        for p in paths:
            p = Path(p)
            if p.is_dir():
                found = discover([p])
                given.extend(found)
                others = sorted(f.name for f in p.iterdir() if f.is_file() and f not in found
                                and not f.name.startswith("."))
                report.skipped.extend(f"{n}: unsupported file type; use {self._types_text()}" for n in others)
            elif p.exists():
                given.append(p)
            else:
                raise DocumentError(f"{p}: no such file or folder")
        incoming, skipped = self._prepare(given)
        report.skipped.extend(skipped)
        if not incoming:
            why = "; ".join(report.skipped) or "no report files"
            raise DocumentError(f"no report text found in {', '.join(str(p) for p in paths)} ({why})")
        year = _check_year(year)
        place = place.strip() if isinstance(place, str) and place.strip() else None

        def mutate(txn: _Txn) -> None:
            for name, inc in incoming.items():
                old = txn.entries.get(name)
                if old is not None and old.sha256 == inc.sha256 \
                        and (place is None or place == old.place_override) \
                        and (year is None or year == old.year_override):
                    continue
                txn.incoming[name] = inc
                now = _now()
                entry = Entry(name, inc.sha256, inc.format, inc.size, old.added if old else now, now,
                              old.place_override if old else None, old.year_override if old else None,
                              bundled=old.bundled if old else inc.bundled)
                if place is not None:
                    entry.place_override = place
                if year is not None:
                    entry.year_override = year
                txn.entries[name] = entry

        record, txn = self._change(mutate, progress, rebuild=rebuild, wait_s=wait_s)
        before = {e.name: e for e in txn.base.entries} if txn.base else {}
        for name in incoming:
            if name in txn.rejected:
                report.skipped.append(txn.rejected[name])
            elif name not in txn.incoming:
                report.unchanged.append(name)
            elif name in before:
                report.replaced.append(name)
            else:
                report.added.append(name)
        if txn.base is None:  # first run: the bundled reports came in too
            report.added.extend(e.name for e in record.entries
                                if e.name not in incoming and e.name not in report.added)
        report.index = txn.index
        report.documents = len(record.entries)
        report.paragraphs = sum(e.paragraphs for e in record.entries)
        report.seconds = time.monotonic() - t0
        say("done", 1.0)
        return report

    def remove(self, name: str, progress: Progress | None = None) -> IngestReport:
        """Remove a document by its library name."""

        def mutate(txn: _Txn) -> None:
            if name not in txn.entries:
                raise DocumentError(_unknown(name, txn.entries))
            del txn.entries[name]

        _, txn = self._change(mutate, progress)
        return txn.index or IngestReport()

    def correct(self, name: str, place: str | None = None, year: int | None = None,
                progress: Progress | None = None) -> DocInfo:
        """Store a place/year override for a document and re-index it ("" or 0 clears one)."""
        year_value = None if year in (None, 0) else _check_year(year)

        def mutate(txn: _Txn) -> None:
            entry = txn.entries.get(name)
            if entry is None:
                raise DocumentError(_unknown(name, txn.entries))
            entry = dataclasses.replace(entry, updated=_now())
            if place is not None:
                entry.place_override = place.strip() or None
            if year is not None:
                entry.year_override = year_value
            txn.entries[name] = entry

        record, _ = self._change(mutate, progress)
        entry = record.get(name)
        assert entry is not None
        return entry.info()

    def rebuild(self, progress: Progress | None = None) -> IngestReport:
        """Drop the index and build it again from the library's copies."""
        _, txn = self._change(lambda txn: None, progress, rebuild=True)
        return txn.index or IngestReport()

    def repair(self, progress: Progress | None = None, wait_s: float = 600.0) -> Record:
        """Bring the index in line with the record (after a crash, a code upgrade, a lost index)."""
        record, _ = self._change(lambda txn: None, progress, force=True, wait_s=wait_s)
        return record

    # --- the change itself ------------------------------------------------------------
    def _change(self, mutate: Callable[[_Txn], None], progress: Progress | None, rebuild: bool = False,
                force: bool = False, wait_s: float = 600.0) -> tuple[Record, _Txn]:
        for _ in range(_COMMIT_TRIES):
            with ingest_lock(self.config, wait_s):
                base = self.read()
                if base is None:
                    entries, incoming, _errors = self._initial()
                    txn = _Txn(None, entries, dict(incoming), rebuild)
                else:
                    txn = _Txn(base, {e.name: dataclasses.replace(e) for e in base.entries}, rebuild=rebuild)
                mutate(txn)
                if base is not None and not txn.incoming and not rebuild and not force \
                        and [dataclasses.asdict(e) for e in base.entries] == \
                            [dataclasses.asdict(e) for e in txn.entries.values()] \
                        and self._in_line(base):
                    return base, txn
                try:
                    return self._write(txn, progress), txn
                except _Conflict:
                    log.info("the library changed on the server during this change: doing it again")
        raise StoreError("the library kept changing on the Chroma server during this change; try again")

    def _in_line(self, record: Record) -> bool:
        """Is the index what the last commit left (the commit's clean-up finished)?"""
        if record.index_version != INDEX_VERSION:
            return False
        try:
            meta = self.store.collection().metadata or {}
        except StoreError:
            return False
        return meta.get("library") == record.commit

    def _write(self, txn: _Txn, progress: Progress | None) -> Record:
        say = progress or _quiet
        for name, inc in txn.incoming.items():
            self._stage(inc)
        say("cleaning", 0.02)
        docs, errors = self._load(list(txn.entries.values()))
        if errors:  # indexing without it would drop its paragraphs: stop, and say what to do
            raise DocumentError("; ".join(str(e) for e in errors))
        paragraphs, clean_errors = clean_documents(docs)
        failed = {str(e).split(":", 1)[0]: str(e) for e in clean_errors}
        rejected = [n for n in failed if n in txn.incoming]
        for name in rejected:  # a new file, or a new version, with no report text: keep what was there
            old = txn.base.get(name) if txn.base else None
            if old is not None:
                txn.entries[name] = dataclasses.replace(old)
            else:
                txn.entries.pop(name, None)
            txn.incoming.pop(name)
            txn.rejected[name] = failed[name]
        if rejected:
            docs, _ = self._load(list(txn.entries.values()))
            paragraphs, _ = clean_documents(docs)
        for name, why in failed.items():
            if name not in txn.rejected:
                log.warning("library document without report text: %s", why)
        _apply_overrides(paragraphs, txn.entries)
        stats = _stats(paragraphs)
        now = _now()
        entries = []
        for e in txn.entries.values():
            s = stats.get(e.name, {})
            entries.append(dataclasses.replace(
                e, place=s.get("place", ""), year=s.get("year"), kind=s.get("kind", ""),
                paragraphs=s.get("paragraphs", 0), figures=s.get("figures", 0), pids=s.get("pids", [])))
        record = Record((txn.base.version if txn.base else 0) + 1, uuid.uuid4().hex, now, INDEX_VERSION, entries)

        def commit() -> None:
            self._commit(record, txn.base)

        def stage_say(stage: str, fraction: float) -> None:
            say(stage, 0.05 + 0.93 * fraction)

        txn.index = self.store.sync(paragraphs, progress=stage_say, rebuild=txn.rebuild, commit=commit,
                                    meta={"library": record.commit})
        txn.index.documents = len(entries)
        self._prune(record)
        return record

    def _commit(self, record: Record, base: Record | None) -> None:
        """Make the record the library: the server's first (when there is one), then the file."""
        server = self.server
        if server is not None:
            current = server.stamp()
            if (current[2] if current else None) != (base.commit if base else None):
                raise _Conflict()
            for e in record.entries:
                if not server.has_blob(e.sha256, e.bytes):
                    server.put_blob(e.sha256, self._copy_path(e.name, e.sha256).read_bytes())
            server.write(record)
        _atomic_write(self.record_path, record.to_json().encode("utf-8"))
        log.info("library: committed version %s (%d documents)", record.version, len(record.entries))

    def _prune(self, record: Record) -> None:
        """Delete copies no entry refers to (left by replaced, removed or killed adds)."""
        keep = {(e.sha256, e.name) for e in record.entries}
        for tmp in self.root.glob(f".{self.record_path.name}.*.tmp"):  # left by a killed commit
            with contextlib.suppress(OSError):
                tmp.unlink()
        if self.files_dir.exists():
            for d in self.files_dir.iterdir():
                for f in list(d.iterdir()) if d.is_dir() else [d]:
                    if (d.name, f.name) not in keep:
                        with contextlib.suppress(OSError):
                            f.unlink() if f.is_file() else shutil.rmtree(f)
                with contextlib.suppress(OSError):
                    d.rmdir()  # only when empty
        if self.server is not None:
            with contextlib.suppress(Exception):
                self.server.prune_blobs({e.sha256 for e in record.entries})

    # --- files ------------------------------------------------------------------------
    def _max_bytes(self) -> int:
        return int(self.config.max_upload_mb * 1024 * 1024)

    def _types(self) -> set[str]:
        return {t.strip().lower() if t.strip().startswith(".") else "." + t.strip().lower()
                for t in self.config.upload_types.split(",") if t.strip()}

    def _types_text(self) -> str:
        return ", ".join(sorted(self._types()))

    def _prepare(self, files: Iterable[Path], bundled: bool = False) -> tuple[dict[str, _Incoming], list[str]]:
        """Check each file (type, size, readable, report text); return the usable ones by name."""
        out: dict[str, _Incoming] = {}
        skipped: list[str] = []
        types = self._types()
        for path in files:
            try:
                name = safe_name(path.name)
            except DocumentError as exc:
                skipped.append(str(exc))
                continue
            try:
                if path.suffix.lower() not in types:
                    raise DocumentError(f"{name}: unsupported file type; use {self._types_text()}")
                doc = load_document(path, self._max_bytes())
                clean_document(dataclasses.replace(doc, source=name))
            except DocumentError as exc:
                msg = str(exc)
                skipped.append(msg if msg.startswith(name) or msg.startswith(path.name)
                               else f"{name}: {msg}")
                continue
            if name in out:
                skipped.append(f"{name}: another file of this name is in the same add ({out[name].path})")
                continue
            data = path.read_bytes()
            out[name] = _Incoming(name, path, _sha256(data), len(data),
                                  str(getattr(doc, "format", "") or path.suffix.lower().lstrip(".")), bundled)
        return out, skipped

    def _initial(self) -> tuple[dict[str, Entry], dict[str, _Incoming], list[DocumentError]]:
        """The library before anything was recorded: the documents an older index was built from
        (when they are still there), else the bundled reports of ``config.seeds_dir``."""
        sources: list[Path] = []
        with contextlib.suppress(Exception):
            if self.store.exists():
                meta = self.store.collection().metadata or {}
                sources = [Path(p) for p in json.loads(meta.get("paths", "[]")) if Path(p).exists()]
        if not sources:
            sources = [Path(self.config.seeds_dir)] if Path(self.config.seeds_dir).exists() else []
        try:
            files = discover(sources)
        except DocumentError:
            files = []
        incoming, skipped = self._prepare(files, bundled=True)
        for s in skipped:
            log.warning("bundled report skipped: %s", s)
        now = _now()
        entries = {n: Entry(n, i.sha256, i.format, i.size, now, now, bundled=True) for n, i in incoming.items()}
        return entries, incoming, [DocumentError(s) for s in skipped]

    def _stage(self, inc: _Incoming) -> None:
        """Keep a copy of the file in the library (by content, so an older version stays intact)."""
        dest = self._copy_path(inc.name, inc.sha256)
        if dest.exists() and _sha256(dest.read_bytes()) == inc.sha256:
            return
        data = inc.path.read_bytes()
        if _sha256(data) != inc.sha256:
            raise DocumentError(f"{inc.name}: the file changed while it was being added; add it again")
        _atomic_write(dest, data)

    def copy_of(self, entry: Entry) -> Path:
        """The library's copy of a document (fetched from the Chroma server when this machine lacks it)."""
        path = self._copy_path(entry.name, entry.sha256)
        if path.exists():
            return path
        if self.server is not None:
            data = self.server.get_blob(entry.sha256, entry.bytes)
            if data is not None:
                _atomic_write(path, data)
                return path
        raise DocumentError(f"{entry.name}: the library's copy is missing ({path}); add the file again")

    def _load(self, entries: Sequence[Entry]) -> tuple[list[Document], list[DocumentError]]:
        docs: list[Document] = []
        errors: list[DocumentError] = []
        for e in entries:
            try:
                path = self.copy_of(e)
                doc = load_document(path, max(self._max_bytes(), e.bytes))
                if doc.sha256 != e.sha256:
                    raise DocumentError(f"{e.name}: the library's copy is damaged; add the file again")
                docs.append(_with_overrides(doc, e))
            except DocumentError as exc:
                errors.append(exc)
        return docs, errors


# --------------------------------------------------------------------------- helpers


def _quiet(stage: str, fraction: float) -> None:
    pass


def _unknown(name: str, entries: Iterable[str]) -> str:
    names = ", ".join(sorted(entries)) or "(the library is empty)"
    return f"no document named {name!r} in the library; documents: {names}"


def _check_year(year: int | None) -> int | None:
    if year is None:
        return None
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise DocumentError(f"year {year!r} is not a number") from None
    if not 1949 <= value <= 2100:
        raise DocumentError(f"year {value} is out of range (1949–2100)")
    return value


def _with_overrides(doc: Document, entry: Entry | None) -> Document:
    """The document with the user's place/year set on it (``load.Document.place``/``year``)."""
    names = {f.name for f in dataclasses.fields(doc)}
    changes: dict[str, object] = {}
    if entry is not None:
        if entry.place_override is not None and "place" in names:
            changes["place"] = entry.place_override
        if entry.year_override is not None and "year" in names:
            changes["year"] = entry.year_override
    return dataclasses.replace(doc, **changes) if changes else doc


def _apply_overrides(paragraphs: list[Paragraph], entries: dict[str, Entry]) -> None:
    """Make sure a document's override shows in its paragraphs.

    Cleaning reads ``Document.place``/``year``; where it did not (no paragraph of the
    document carries the override), every paragraph of the document gets it here."""
    by_source: dict[str, list[Paragraph]] = {}
    for p in paragraphs:
        by_source.setdefault(p.source, []).append(p)
    for name, ps in by_source.items():
        e = entries.get(name)
        if e is None:
            continue
        if e.place_override and not any(p.region == e.place_override for p in ps):
            for p in ps:
                p.region = e.place_override
        if e.year_override and not any(p.doc_year == e.year_override for p in ps):
            for p in ps:
                p.doc_year = e.year_override
                if not p.years:
                    p.years = [e.year_override]


def _stats(paragraphs: list[Paragraph]) -> dict[str, dict]:
    """Per document: its paragraph ids and what the index found (place, year, kind, figures)."""
    out: dict[str, dict] = {}
    for p in paragraphs:
        s = out.setdefault(p.source, {"pids": [], "places": Counter(), "years": Counter(), "kinds": Counter(),
                                      "figures": 0})
        s["pids"].append(p.id)
        if p.region:
            s["places"][p.region] += 1
        if p.doc_year:
            s["years"][p.doc_year] += 1
        kind = getattr(p, "doc_kind", "") or ""
        if kind:
            s["kinds"][kind] += 1
        s["figures"] += len(numbers.figures(p.text))
    for s in out.values():
        s["paragraphs"] = len(s["pids"])
        s["place"] = s["places"].most_common(1)[0][0] if s["places"] else ""
        s["year"] = s["years"].most_common(1)[0][0] if s["years"] else None
        s["kind"] = s["kinds"].most_common(1)[0][0] if s["kinds"] else ""
    return out
