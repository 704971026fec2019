"""Checks on the evaluation gold set (evals/gold.jsonl).

Every answerable single-figure item must be backed by an exact span of its seed
document: the evidence, after the corpus normalisation, is a substring of the
normalised seed text (line breaks ignored), and it holds the answer's figure and unit.
Whole questions (list, multi, computed, descriptive) back every expected figure the
same way, computed results recompute from their operands, and descriptions name the
paragraph they must cite.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.normalize import normalize_block, normalize_text

ROOT = Path(__file__).parent.parent
GOLD = ROOT / "evals" / "gold.jsonl"
SEEDS = ROOT / "seeds"

SINGLE_KINDS = {"lookup", "paraphrase", "disambiguation", "noisy_text", "unanswerable", "english", "followup"}
WHOLE_KINDS = {"list", "multi", "computed", "descriptive"}
KINDS = SINGLE_KINDS | WHOLE_KINDS
BASE_KEYS = {"id", "question", "answer", "value", "unit", "source", "evidence", "kind"}
NULLABLE = ("answer", "value", "unit", "source", "evidence")
# "15760.3亿元" -> ("15760.3", "亿元"); qualifiers (以上/左右/超过/近...) are never part of an answer.
ANSWER = re.compile(r"^(\d+(?:\.\d+)?)(\D.*)$")
QUALIFIERS = ("以上", "左右", "超过", "近", "余", "多", "约", "突破")
NOISY_SOURCE = "004_fdaeeef95e5dbc8a.txt"
PARTIAL_COPY, FULL_REPORT = "000_1724f72c45ccbe3f.txt", "001_00a57e6725684587.txt"


def _load() -> list[dict]:
    items = []
    with GOLD.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            assert line.strip(), f"blank line {n} in {GOLD.name}"
            items.append(json.loads(line))
    return items


ALL_ITEMS = _load()
ITEMS = [it for it in ALL_ITEMS if it["kind"] in SINGLE_KINDS]
WHOLE = [it for it in ALL_ITEMS if it["kind"] in WHOLE_KINDS]
ANSWERABLE = [it for it in ITEMS if it.get("kind") != "unanswerable"]


@lru_cache(maxsize=None)
def seed_text(name: str) -> str:
    return normalize_block((SEEDS / name).read_text(encoding="utf-8"))


def _ids(items):
    return [it.get("id", "?") for it in items]


# ---------------------------------------------------------------- whole file

def test_file_is_utf8_jsonl_one_object_per_line():
    raw = GOLD.read_bytes().decode("utf-8")
    lines = raw.splitlines()
    assert len(lines) == len(ALL_ITEMS)
    assert all(isinstance(it, dict) for it in ALL_ITEMS)
    # written with ensure_ascii=False: Chinese stays readable
    assert "\\u" not in raw


def test_enough_items():
    assert len(ITEMS) >= 120


def test_ids_unique_and_well_formed():
    ids = [it["id"] for it in ALL_ITEMS]
    assert len(ids) == len(set(ids)), [i for i, c in Counter(ids).items() if c > 1]
    assert all(re.fullmatch(r"g\d{3,}", it["id"]) for it in ITEMS)
    assert all(re.fullmatch(r"w\d{3,}", it["id"]) for it in WHOLE)


def test_all_kinds_present():
    kinds = Counter(it["kind"] for it in ALL_ITEMS)
    assert set(kinds) == KINDS, kinds
    assert len(WHOLE) >= 40


def test_every_seed_document_used():
    used = {it["source"] for it in ANSWERABLE}
    # 000 is a partial copy of 001; its text is cited from 001 (see below).
    expected = {p.name for p in SEEDS.glob("*.txt")} - {PARTIAL_COPY}
    assert expected <= used, expected - used


def test_questions_unique():
    keys = [(it["question"], tuple(it.get("history", []))) for it in ALL_ITEMS]
    assert len(keys) == len(set(keys)), [k for k, c in Counter(keys).items() if c > 1]


# ---------------------------------------------------------------- per item

@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_keys(item):
    expected = BASE_KEYS | {"history"} if item["kind"] == "followup" else BASE_KEYS
    assert set(item) == expected
    assert item["kind"] in KINDS
    assert isinstance(item["question"], str) and item["question"].strip()


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_unanswerable_iff_null(item):
    if item["kind"] == "unanswerable":
        assert all(item[k] is None for k in NULLABLE), item
    else:
        assert item["answer"] is not None
        assert all(item[k] is not None for k in NULLABLE), item


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_followup_history(item):
    if item["kind"] == "followup":
        hist = item["history"]
        assert isinstance(hist, list) and hist
        assert all(isinstance(h, str) and h.strip() for h in hist)


@pytest.mark.parametrize("item", ANSWERABLE, ids=_ids(ANSWERABLE))
def test_evidence_is_in_source(item):
    src = SEEDS / item["source"]
    assert src.is_file(), item["source"]
    ev = normalize_block(item["evidence"])
    assert 8 <= len(ev) <= 100, (len(ev), ev)
    assert ev in seed_text(item["source"]), ev


@pytest.mark.parametrize("item", ANSWERABLE, ids=_ids(ANSWERABLE))
def test_text_shared_with_partial_copy_cites_full_report(item):
    if normalize_block(item["evidence"]) in seed_text(FULL_REPORT):
        assert item["source"] != PARTIAL_COPY


@pytest.mark.parametrize("item", ANSWERABLE, ids=_ids(ANSWERABLE))
def test_answer_number_value_unit(item):
    answer = item["answer"]
    m = ANSWER.match(answer)
    assert m, answer
    number, unit = m.groups()
    assert answer == number + item["unit"]
    assert unit == item["unit"]
    assert isinstance(item["value"], (int, float)) and not isinstance(item["value"], bool)
    assert float(number) == item["value"]
    assert not any(unit.endswith(q) or unit.startswith(q) for q in QUALIFIERS), unit
    ev = normalize_block(item["evidence"])
    # the number as written, not as part of a longer number
    assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", ev), (number, ev)
    # number immediately followed by its unit, as in the source
    assert normalize_text(answer) in ev, (answer, ev)


@pytest.mark.parametrize("item", [it for it in ITEMS if it["kind"] == "noisy_text"],
                         ids=_ids([it for it in ITEMS if it["kind"] == "noisy_text"]))
def test_noisy_items_come_from_the_newspaper_review(item):
    assert item["source"] == NOISY_SOURCE


# ---------------------------------------------------------------- whole questions

def _backed(expected: dict) -> None:
    ev = normalize_block(expected["evidence"])
    assert ev in seed_text(expected["source"]), ev
    assert normalize_text(expected["answer"]).lstrip("第") in ev, (expected["answer"], ev)


@pytest.mark.parametrize("item", WHOLE, ids=_ids(WHOLE))
def test_whole_question_is_backed_by_its_sources(item):
    if item["kind"] in ("list", "multi"):
        assert len(item["answers"]) >= 2
        for expected in item["answers"]:
            _backed(expected)
    elif item["kind"] == "computed":
        assert len(item["operands"]) == 2 and item["operation"] in ("difference", "ratio", "growth")
        for expected in item["operands"]:
            _backed(expected)
    else:
        assert normalize_block(item["evidence"]) in seed_text(item["source"])
        assert item["key_phrases"]


@pytest.mark.parametrize("item", [it for it in WHOLE if it["kind"] == "computed"],
                         ids=_ids([it for it in WHOLE if it["kind"] == "computed"]))
def test_computed_answer_recomputes_from_its_operands(item):
    from assistant.arithmetic import compute
    from assistant.numbers import parse_quantity

    a, b = (parse_quantity(o["answer"]) for o in item["operands"])
    result = compute(b, a, "growth") if item["operation"] == "growth" else compute(a, b, item["operation"])  # growth: from a to b
    expected = parse_quantity(item["answer"])
    assert result is not None and abs(abs(float(result.value)) - expected.value) < 0.051, (result, item["answer"])
