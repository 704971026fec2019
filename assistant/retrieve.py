"""Hybrid retrieval: dense (Chroma) + keyword (jieba BM25) fused by reciprocal rank,
then a boost for paragraphs whose year, region and plan/result sense match the
question (a boost, not a filter, so a question without a year still works).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import numpy as np

from .clean import Paragraph
from .config import Config
from .index import Store
from .query import Query, parse
from . import tokenize

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Weights:
    """Fusion and facet weights (tuned on the gold set; see the closing notes)."""

    rrf_k: float = 20.0
    dense: float = 1.0
    bm25: float = 1.0
    pool: int = 40
    year_match: float = 0.6
    year_miss: float = -0.5
    region_match: float = 0.3
    region_miss: float = -0.6
    kind_match: float = 0.2
    kind_miss: float = -0.2


@dataclass
class Hit:
    """A retrieved paragraph, its score and which retrievers found it (rank, 1-based)."""

    paragraph: Paragraph
    score: float
    retrievers: dict[str, int] = field(default_factory=dict)
    windows: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.paragraph.id, "source": self.paragraph.source, "section": self.paragraph.section,
                "score": round(self.score, 4), "retrievers": self.retrievers, "text": self.paragraph.text}


class Retriever:
    """Loads the index once and answers ``retrieve`` calls (thread-safe)."""

    def __init__(self, store: Store, weights: Weights | None = None) -> None:
        self.store = store
        self.weights = weights or Weights()
        self._lock = threading.Lock()
        self.reload()

    @classmethod
    def open(cls, config: Config) -> "Retriever":
        return cls(Store(config))

    def reload(self) -> None:
        """Re-read units, paragraphs and the keyword index from the store."""
        ids, docs, metas, self.bm25 = self.store.load_index()
        self.unit_ids = ids
        self.unit_text = dict(zip(ids, docs))
        self.unit_pid = {i: m["pid"] for i, m in zip(ids, metas)}
        self.paragraphs: dict[str, Paragraph] = {}
        for m in metas:
            if m.get("ptext"):
                self.paragraphs[m["pid"]] = Paragraph.from_metadata(m["pid"], m["ptext"], m)
        self.vocab = set(self.bm25.vocab_dict) if hasattr(self.bm25, "vocab_dict") else None
        self.collection = self.store.collection()

    # --- the two retrievers ---------------------------------------------------------
    def dense(self, query: Query, n: int) -> list[str]:
        vector = self.store.embedder.embed_query([query.text])[0]
        with self._lock:
            got = self.collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                                        n_results=min(n, len(self.unit_ids)), include=[])
        return got["ids"][0]

    def keyword(self, query: Query, n: int) -> list[str]:
        toks = tokenize.tokens(query.search_text)
        if self.vocab is not None:
            toks = [t for t in toks if t in self.vocab]
        if not toks:
            return []
        scores = self.bm25.get_scores(toks)
        order = np.argsort(-scores)[:n]
        return [self.unit_ids[i] for i in order if scores[i] > 0]

    # --- fusion ---------------------------------------------------------------------
    def retrieve(self, question: str | Query, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        """Ranked paragraphs for a question; ``mode`` is hybrid, dense or bm25."""
        query = question if isinstance(question, Query) else parse(question)
        w = self.weights
        ranked: dict[str, list[str]] = {}
        if mode in ("hybrid", "dense"):
            ranked["dense"] = self.dense(query, w.pool)
        if mode in ("hybrid", "bm25"):
            ranked["bm25"] = self.keyword(query, w.pool)
        hits: dict[str, Hit] = {}
        for name, ids in ranked.items():
            weight = w.dense if name == "dense" else w.bm25
            for rank, uid in enumerate(ids, start=1):
                pid = self.unit_pid.get(uid)
                if pid not in self.paragraphs:
                    continue
                hit = hits.setdefault(pid, Hit(self.paragraphs[pid], 0.0))
                # A paragraph scores by its best window per retriever.
                if name not in hit.retrievers:
                    hit.retrievers[name] = rank
                    hit.score += weight / (w.rrf_k + rank)
                if self.unit_text[uid] not in hit.windows:
                    hit.windows.append(self.unit_text[uid])
        for hit in hits.values():
            hit.score *= 1.0 + self.facet_boost(query, hit.paragraph)
        return sorted(hits.values(), key=lambda h: -h.score)[:k]

    def facet_boost(self, query: Query, p: Paragraph) -> float:
        """How much the paragraph's year, region and plan/result sense agree with the question."""
        w = self.weights
        boost = 0.0
        if query.years:
            boost += w.year_match if set(query.years) & set(p.years) else w.year_miss
        if query.region:
            boost += w.region_match if query.region == p.region else w.region_miss
        if query.kind and p.kind:
            boost += w.kind_match if query.kind == p.kind else w.kind_miss
        return max(boost, -0.9)
