"""Recall@1/@5 of dense-only, BM25-only and fused retrieval, for each bundled embedder.

Usage: python benchmarks/retrieval_modes.py [--gold evals/gold.jsonl]
Builds a throw-away index per embedder in a temp dir and prints a table (and the
ingest time of each embedder), so the default embedder can be chosen on figures.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant import Config  # noqa: E402
from assistant.evaluate import holds, load_gold  # noqa: E402
from assistant.index import Store  # noqa: E402
from assistant.query import parse, rewrite_followup  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(ROOT / "evals" / "gold.jsonl"))
    args = ap.parse_args()
    items = [i for i in load_gold(Path(args.gold)) if i.answer]
    rows = {}
    for embedder in ("e5", "use"):
        with tempfile.TemporaryDirectory() as tmp:
            cfg = Config.from_env().with_(data_dir=Path(tmp), embedder=embedder)
            store = Store(cfg)
            t0 = time.monotonic()
            store.ingest([ROOT / "seeds"])
            ingest_s = time.monotonic() - t0
            retriever = Retriever(store)
            for mode in ("dense", "bm25", "hybrid"):
                at1 = at5 = 0
                by_kind: dict[str, list[int]] = {}
                for item in items:
                    q = parse(rewrite_followup(item.question, list(item.history)))
                    hits = retriever.retrieve(q, 5, mode=mode)
                    ok = [holds(h.paragraph.text, item) for h in hits]
                    at1 += bool(ok[:1] and ok[0])
                    at5 += any(ok)
                    by_kind.setdefault(item.kind, []).append(int(any(ok)))
                rows[f"{embedder}/{mode}"] = {
                    "recall@1": round(at1 / len(items), 3), "recall@5": round(at5 / len(items), 3),
                    "ingest_s": round(ingest_s, 1),
                    "recall@5_by_kind": {k: round(sum(v) / len(v), 3) for k, v in by_kind.items()},
                }
    print(f"{'embedder/mode':<14}{'R@1':>7}{'R@5':>7}{'ingest s':>10}  R@5 by kind")
    for name, r in rows.items():
        kinds = " ".join(f"{k}={v}" for k, v in r["recall@5_by_kind"].items())
        print(f"{name:<14}{r['recall@1']:>7}{r['recall@5']:>7}{r['ingest_s']:>10}  {kinds}")
    out = ROOT / "benchmarks" / "retrieval_modes.json"
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
