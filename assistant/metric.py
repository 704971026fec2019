"""Does a fact measure what the question asks?  Two views, combined:

- **term overlap**: the question's metric words (and the glossary's standard synonyms)
  found in the fact's metric phrase, less in its clause or sentence;
- **the multilingual embedding we ship** (e5): the cosine between the question's metric
  phrase and the fact's, which carries paraphrases and English that no word list covers;
  for English questions also a second embedding (the multilingual USE, also shipped), whose
  margin over the best competing fact tells Chinese metric phrases apart where e5's
  cross-lingual cosines crowd together.

The weights (``MatchWeights``) are fitted by ``evals/calibrate.py`` on our own
calibration questions (``evals/dev_calibration.jsonl``), not on the gold sets.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .facts import Fact
from .glossary import SYNONYMS
from . import tokenize

log = logging.getLogger(__name__)

_HAN = re.compile(r"[\u4e00-\u9fff]")
_STOP = {"多少", "年度", "全年", "今年", "去年", "情况", "规模", "数量", "总额"}


@dataclass(frozen=True)
class MatchWeights:
    """The combination of the two views (fitted by evals/calibrate.py)."""

    lexical: float = 2.79
    embedding: float = 8.62  # on (cos - cos_floor) / (1 - cos_floor)
    relative: float = 28.1  # on cos - the best cos of the other candidates of the question's places
    english_lexical: float = 2.79  # the glossary's standard terms (GDP, CPI) count as in Chinese
    english_embedding: float = 4.81
    bias: float = -8.19
    english_bias: float = 6.79
    english_relative: float = 7.2
    english_second: float = 13.39  # on the second embedding's margin (English only)
    cos_floor: float = 0.75
    threshold: float = 0.17  # probability that the fact answers, to accept it


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    weight: float


def terms(metric: str, expansions: Sequence[str] = ()) -> list[Term]:
    """The question's metric words, each with the glossary's report words; the last (the
    head noun of a Chinese noun phrase) weighs double."""
    low = metric.lower()
    groups: list[Term] = []
    claimed: list[str] = []
    for term in sorted(SYNONYMS, key=len, reverse=True):
        if term in low and not any(term in c for c in claimed):
            claimed.append(term)
            groups.append(Term((term, *SYNONYMS[term]), 4.0))
    for tok in tokenize.tokens(low):
        if tok in _STOP or tok.isdigit() or any(tok in c for c in claimed):
            continue
        if not _HAN.search(tok) and len(tok) < 2:
            continue
        groups.append(Term((tok,), float(min(len(tok), 4))))
    for word in expansions:
        if all(word not in g.words for g in groups):
            groups.append(Term((word,), 2.0))
    if groups:
        last = max(range(len(groups)), key=lambda i: low.rfind(groups[i].words[0]))
        groups[last] = Term(groups[last].words, groups[last].weight * 2)
    return groups


def phrase(fact: Fact) -> str:
    """The phrase a fact's metric is embedded as: its metric, else its clause."""
    return fact.metric or fact.clause[:20]


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def presence(term: str, text: str) -> float:
    """1 if the word is there; for a compound, its head noun (the last two characters)
    counts 0.8 and shared character pairs less."""
    if term in text:
        return 1.0
    if len(term) >= 3 and _HAN.match(term):
        if _HAN.match(term[-2]) and term[-2:] in text:
            return 0.8
        grams = _bigrams(term)
        return 0.7 * len(grams & _bigrams(text)) / len(grams)
    return 0.0


def lexical(ts: list[Term], fact: Fact, heading: str = "") -> float:
    """Share of the question's metric words found in the fact's phrase (closer counts more)."""
    if not ts:
        return 0.0
    # "民营经济增加值占全市生产总值的比重" is about 民营经济增加值, not 生产总值
    own, _, share = fact.metric.partition("占")
    total = weight = 0.0
    for t in ts:
        found = max(max(presence(w, own), 0.5 * presence(w, share), 0.7 * presence(w, fact.clause),
                        0.4 * presence(w, fact.sentence), 0.3 * presence(w, heading)) for w in t.words)
        total += t.weight * found
        weight += t.weight
    return total / weight


class PhraseVectors:
    """Embeddings of short phrases, computed once and kept on disk."""

    def __init__(self, embed: Callable[[list[str]], list], path: Path | None) -> None:
        self.embed = embed
        self.path = path
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._dirty = False
        if path is not None and path.exists():
            try:
                with np.load(path, allow_pickle=False) as data:
                    keys = [str(k) for k in data["keys"]]
                    self._vectors = dict(zip(keys, data["vectors"]))
            except (OSError, ValueError, KeyError) as exc:
                log.info("phrase vectors in %s unreadable (%s): recomputing", path, exc)

    def get(self, phrases: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per phrase (embedding the ones not seen before)."""
        with self._lock:
            missing = sorted({p for p in phrases if p not in self._vectors})
            for start in range(0, len(missing), 64):
                chunk = missing[start : start + 64]
                for p, v in zip(chunk, self.embed(chunk)):
                    v = np.asarray(v, dtype=np.float32)
                    self._vectors[p] = v / (np.linalg.norm(v) + 1e-12)
                self._dirty = True
            if not phrases:
                return np.zeros((0, 1), dtype=np.float32)
            return np.stack([self._vectors[p] for p in phrases])

    def save(self) -> None:
        with self._lock:
            if not self._dirty or self.path is None:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self._vectors)
            # a temp file of this process's own: two processes saving at once must not rename each other's
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}-{threading.get_ident()}.tmp.npz")
            try:
                np.savez(tmp, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]))
                tmp.replace(self.path)
            except OSError as exc:  # a cache: the next run recomputes what is missing
                log.warning("could not save phrase vectors to %s: %s", self.path, exc)
                tmp.unlink(missing_ok=True)
                return
            self._dirty = False


def cosines(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Row-wise dot products of unit vectors, without BLAS: OpenBLAS's threads spin after a
    large enough product and, on 2 cores, slow the embedding model's next query threefold."""
    return np.einsum("ij,j->i", matrix, vector)


def vectors_path(cache_dir: Path, embedder_name: str) -> Path:
    tag = hashlib.sha1(embedder_name.encode()).hexdigest()[:8]
    return Path(cache_dir) / f"phrases-{tag}.npz"


def match_probability(lex: float, cos: float, best_cos: float, english: bool,
                      w: MatchWeights = MatchWeights(), second_margin: float = 0.0) -> float:
    """The probability that a fact with these views answers the question (``second_margin``:
    for English, the second embedding's cosine minus its best competitor's)."""
    e = max(0.0, (cos - w.cos_floor) / (1 - w.cos_floor))
    if english:
        z = (w.bias + w.english_bias + w.english_lexical * lex + w.english_embedding * e
             + w.english_relative * (cos - best_cos) + w.english_second * second_margin)
    else:
        z = w.bias + w.lexical * lex + w.embedding * e + w.relative * (cos - best_cos)
    return float(1 / (1 + np.exp(-z)))
