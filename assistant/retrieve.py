"""Hybrid retrieval: dense (Chroma) + keyword (jieba BM25) fused by reciprocal rank,
then a boost for paragraphs whose year, region and plan/result sense match the
question (a boost, not a filter, so a question without a year still works).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import numpy as np

from pathlib import Path

from .clean import Paragraph
from .config import Config
from .embed import USEEmbedding
from .facts import Fact, facts_by_paragraph
from .glossary import STANDARD_INDICATORS
from .index import Store
from .judge import Judge
from .metric import PhraseVectors, cosines, phrase, vectors_path
from .places import Place, PlaceBook
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
        self.book = PlaceBook(
            Place(p.region, p.place_level, p.place_parent) for p in self.paragraphs.values() if p.region)
        self.facts: dict[str, list[Fact]] = facts_by_paragraph(self.paragraphs.values())
        self.all_facts: list[Fact] = [f for fs in self.facts.values() for f in fs]
        embed = getattr(self.store.embedder, "embed_query", None) or self.store.embedder
        self.vectors = PhraseVectors(embed, vectors_path(Path(self.store.config.data_dir) / "cache",
                                                         self.store.embedder_name))
        self.fact_matrix = self.vectors.get([phrase(f) for f in self.all_facts])
        self.vectors.save()
        # a second embedding of phrases for English questions, whose metric the first view
        # alone tells apart less well (computed on demand, for the candidates of such questions)
        self.second_vectors = PhraseVectors(USEEmbedding(threads=self.store.config.local_threads), None)
        self.judge = Judge(self.paragraphs, self.book, self.vectors, second=self.second_vectors,
                           vocabulary="\n".join({f.metric for f in self.all_facts} | set(STANDARD_INDICATORS)))

    def parse(self, question: str, max_chars: int = 500) -> Query:
        """A question read against this library's places."""
        return parse(question, max_chars, self.book, self._closest_name)

    def parts(self, query: Query) -> list[Query]:
        """The single-figure questions a multi or compare question is made of (else itself)."""
        return [self.parse(p) for p in query.parts] or [query]

    def _closest_name(self, phrase: str, names: list[str]) -> str:
        """The library place an English area name means ("Pudong New Area" → 浦东新区)."""
        vecs = self.vectors.get([phrase, *names])
        return names[int(np.argmax(cosines(vecs[1:], vecs[0])))]

    def fact_search(self, query: Query, n: int = 30) -> list[Fact]:
        """Facts of the question's places whose metric phrase is nearest the question's."""
        if not self.all_facts:
            return []
        places = set(self.judge.places(query))
        sims = cosines(self.fact_matrix, self.judge.query_vector(query))
        out: list[Fact] = []
        for i in np.argsort(-sims):
            f = self.all_facts[int(i)]
            if f.place in places:
                out.append(f)
                if len(out) >= n:
                    break
        return out

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
        query = question if isinstance(question, Query) else self.parse(question)
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
        places = self.judge.places(query)
        if query.places or len(places) == 1:
            boost += w.region_match if p.region in places else w.region_miss
        if query.kind and p.kind:
            boost += w.kind_match if query.kind == p.kind else w.kind_miss
        return max(boost, -0.9)
