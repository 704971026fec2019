"""`assistant eval`: the report keys, the HTML page, scoring rules and the regression gate."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assistant.answer import Answer
from assistant.evaluate import GoldItem, gate, is_correct

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"n", "answerable", "unanswerable", "answer_accuracy", "abstention_accuracy", "false_abstention_rate",
        "citation_precision", "retrieval_recall_at_5", "latency_ms", "by_kind", "backend", "items"}


def run_eval(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", "eval", *args], capture_output=True, text=True,
                          cwd=ROOT)


def test_both_gold_sets_pass_the_gate_and_write_reports(tmp_path, assistant):
    out, page = tmp_path / "out.json", tmp_path / "out.html"
    res = run_eval("--backend", "extractive", "--json", str(out), "--html", str(page), "--gate", "evals/baseline.json")
    assert res.returncode == 0, res.stderr + res.stdout
    reports = json.loads(out.read_text(encoding="utf-8"))
    assert set(reports) == {"gold.jsonl", "gold_other_places.jsonl", "gold_bundled_2.jsonl", "gold_more_places.jsonl",
                            "gold_blind_bundled_4.jsonl", "gold_blind_bundled_5.jsonl", "gold_blind_bundled_6.jsonl",
                            "gold_blind_bundled_7.jsonl", "gold_blind_bundled_8.jsonl",
                            "gold_blind_bundled_9.jsonl", "gold_blind_bundled_10.jsonl",
                            "gold_blind_bundled_11.jsonl", "gold_blind_bundled_12.jsonl", "gold_blind_bundled_13.jsonl",
                            "gold_blind_bundled_14.jsonl", "gold_blind_bundled_15.jsonl",
                            "gold_blind_bundled_16.jsonl"}
    assert reports["gold_more_places.jsonl"]["wrong_place_figures"] == 0
    assert reports["gold_other_places.jsonl"]["wrong_place_figures"] == 0
    report = reports["gold.jsonl"]
    assert KEYS <= set(report)
    assert set(report["latency_ms"]) >= {"p50", "p95"}
    assert {"id", "question", "expected", "predicted", "correct", "abstained", "citations", "retrieved",
            "latency_ms"} <= set(report["items"][0])
    assert report["retrieval_recall_at_5"] >= 0.95
    assert "<svg" in page.read_text(encoding="utf-8")


def test_gate_fails_on_a_worse_result(tmp_path, assistant):
    baseline = json.loads((ROOT / "evals" / "baseline.json").read_text(encoding="utf-8"))
    gold = baseline["gold.jsonl"]
    better = dict(baseline, **{"gold.jsonl": dict(gold, answer_accuracy=gold["answer_accuracy"] + 0.05)})
    (tmp_path / "better.json").write_text(json.dumps(better), encoding="utf-8")
    res = run_eval("--gold", "evals/gold.jsonl", "--backend", "extractive", "--gate", str(tmp_path / "better.json"))
    assert res.returncode == 1 and "REGRESSION: gold.jsonl: answer_accuracy" in res.stderr
    assert gate({"answer_accuracy": 0.5, "abstention_accuracy": 1, "retrieval_recall_at_5": 1},
                {"answer_accuracy": 0.9}) == ["answer_accuracy fell from 0.9000 to 0.5000"]


def test_foreign_gold_files_with_extra_fields_are_accepted(tmp_path, assistant):
    gold = tmp_path / "other.jsonl"
    gold.write_text(json.dumps({"id": "x1", "question": "2023年青岛市生产总值是多少？", "answer": "1.57603万亿元",
                                "kind": "lookup", "annotator": "someone else", "value": 1.57603}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    res = run_eval("--gold", str(gold), "--json", str(tmp_path / "o.json"))
    assert res.returncode == 0, res.stderr
    assert json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["answer_accuracy"] == 1.0


def test_scoring_rules():
    def ans(text: str, abstained: bool = False) -> Answer:
        return Answer("q", text, abstained, [], "x", 1.0)

    item = GoldItem("g", "q", "11000亿元", "lookup")
    assert is_correct(ans("1.1万亿元 [1]"), item)
    assert not is_correct(ans("1.1万亿 [1]"), GoldItem("g", "q", "11000个", "lookup"))
    assert is_correct(ans("超过3300亿元"), GoldItem("g", "q", "3300亿元", "lookup"))
    assert is_correct(ans("报告中没有找到", abstained=True), GoldItem("g", "q", None, "unanswerable"))
    assert not is_correct(ans("5%"), GoldItem("g", "q", "5个", "lookup"))


def test_bad_gold_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    res = run_eval("--gold", str(bad))
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
