"""Fit the metric matcher's weights (assistant.metric.MatchWeights) on our own calibration
questions, evals/dev_calibration.jsonl — never on the gold sets, which measure the result.

    ASSISTANT_DATA_DIR=… python evals/calibrate.py [evals/dev_calibration.jsonl]

For every question, the facts that pass the place, year, kind, period and unit tests are
the candidates; a candidate is positive when it is the gold figure.  A logistic regression
on (term overlap, scaled cosine, cosine minus the best candidate's), with separate
weights for English questions, gives the probability; the threshold is the one that
answers the most questions right (answered correctly or rightly abstained).
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

from assistant import Assistant
from assistant.evaluate import load_gold
from assistant.metric import MatchWeights
from assistant.numbers import same_quantity


def rows(assistant: Assistant, items) -> list[tuple[str, bool, list[tuple[float, float, float, bool]]]]:
    r = assistant.retriever
    out = []
    for item in items:
        q = r.parse(item.question)
        if item.history:
            from assistant.query import rewrite_followup
            q = r.parse(rewrite_followup(item.question, list(item.history), r.book))
        hits = r.retrieve(q, k=8)
        cands = []
        for v in assistant.extractor.candidates(r, q, hits):
            hard = v.reason and "不是问题所问的指标" not in v.reason and "同一句" not in v.reason
            if hard:
                continue
            good = item.expected is not None and same_quantity(v.fact.quantity, item.expected)
            cands.append((v.lexical, v.cosine, v.best_cosine, v.second_margin, good))
        out.append((item.id, q.english, cands))
    return out


def features(lex: float, cos: float, best: float, second: float, english: bool, floor: float) -> np.ndarray:
    e = max(0.0, (cos - floor) / (1 - floor))
    # one weight for term overlap in both languages (English overlap is only the glossary's
    # standard terms, too few to fit on their own); the embedding has a weight per language
    return np.array([1.0, 1.0 if english else 0.0, lex, 0 if english else e, e if english else 0,
                     0 if english else cos - best, cos - best if english else 0, second if english else 0])


def fit(data, floor: float) -> np.ndarray:
    X, y = [], []
    for _, english, cands in data:
        for lex, cos, best, second, good in cands:
            X.append(features(lex, cos, best, second, english, floor))
            y.append(1.0 if good else 0.0)
    X, y = np.array(X), np.array(y)
    w = np.zeros(X.shape[1])
    for _ in range(200):  # Newton steps with a little ridge
        p = 1 / (1 + np.exp(-X @ w))
        g = X.T @ (p - y) + 0.01 * w
        H = (X * (p * (1 - p))[:, None]).T @ X + 0.01 * np.eye(len(w))
        w -= np.linalg.solve(H, g)
    return w


def accuracy(data, w: np.ndarray, floor: float, threshold: float) -> float:
    right = 0
    for _, english, cands in data:
        scored = [(1 / (1 + np.exp(-features(l, c, b, s, english, floor) @ w)), good) for l, c, b, s, good in cands]
        best = max(scored, default=(0.0, False))
        has_answer = any(good for *_, good in cands)
        if best[0] >= threshold:
            right += best[1]
        else:
            right += not has_answer
    return right / len(data)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "evals/dev_calibration.jsonl")
    assistant = Assistant()
    data = rows(assistant, load_gold(path))
    floor = MatchWeights().cos_floor
    w = fit(data, floor)
    grid = [t / 100 for t in range(5, 95)]
    best_t = max(grid, key=lambda t: (accuracy(data, w, floor, t), -abs(t - 0.5)))
    weights = MatchWeights(bias=w[0], english_bias=w[1], lexical=w[2], english_lexical=w[2], embedding=w[3],
                           english_embedding=w[4], relative=w[5], english_relative=w[6], english_second=w[7],
                           cos_floor=floor,
                           threshold=best_t)
    print(json.dumps({k: round(v, 3) for k, v in asdict(weights).items()}, indent=1))
    print(f"calibration accuracy (candidates reached): {accuracy(data, w, floor, best_t):.3f} "
          f"on {len(data)} questions")


if __name__ == "__main__":
    main()
