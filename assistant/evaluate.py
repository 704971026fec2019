"""Answer-accuracy evals: gold loading, scoring, JSON/HTML reports, regression gate.

Scoring shares ``numbers`` with the answerer: 1.1万亿元 = 11000亿元, % only with %,
counters compared as written, qualifiers (以上/左右…) ignored.
"""
from __future__ import annotations

import hashlib
import html
import json
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .answer import Answer, Assistant
from .config import PROJECT_ROOT, Config
from .errors import AssistantError
from .normalize import normalize_block, normalize_text
from .numbers import Quantity, compatible_units, figures, parse_quantity, same_number, same_quantity
from .places import short_form

log = logging.getLogger(__name__)

DEFAULT_GOLD = tuple(PROJECT_ROOT / "evals" / name for name in (
    "gold.jsonl", "gold_other_places.jsonl", "gold_bundled_2.jsonl", "gold_more_places.jsonl",
    "gold_blind_bundled_4.jsonl", "gold_blind_bundled_5.jsonl", "gold_blind_bundled_6.jsonl", "gold_blind_bundled_7.jsonl",
    "gold_blind_bundled_8.jsonl", "gold_blind_bundled_9.jsonl", "gold_blind_bundled_10.jsonl",
    "gold_blind_bundled_11.jsonl", "gold_blind_bundled_12.jsonl", "gold_blind_bundled_13.jsonl",
    "gold_blind_bundled_14.jsonl", "gold_blind_bundled_15.jsonl",
    "gold_blind_bundled_16.jsonl"))
KINDS = ("lookup", "paraphrase", "disambiguation", "noisy_text", "unanswerable", "english", "followup",
         "list", "multi", "computed", "descriptive")
WHOLE = ("list", "multi", "computed", "descriptive")  # kinds scored on several figures or a cited paragraph
# US$ per million tokens (input, output), for the cost estimate of LLM backends.
PRICES = {"gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.5, 10.0), "gpt-4.1-mini": (0.4, 1.6), "gpt-4.1": (2.0, 8.0)}


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answer: str | None
    kind: str
    source: str | None = None
    evidence: str | None = None
    history: tuple[str, ...] = ()
    place: str | None = None  # the place the question is about, where the set says
    answers: tuple[dict, ...] = ()  # list / multi: every expected figure with its source
    operands: tuple[dict, ...] = ()  # computed: the two stated figures, each with its source
    key_phrases: tuple[str, ...] = ()  # descriptive: phrases a good answer shows

    @property
    def expected(self) -> Quantity | None:
        return parse_quantity(self.answer) if self.answer else None

    @property
    def answerable(self) -> bool:
        return self.answer is not None or bool(self.answers) or self.kind == "descriptive"

    def describe_expected(self) -> str | None:
        """The expected answer as one line (None: the reports do not say)."""
        if self.answers:
            return "；".join(a["answer"] for a in self.answers)
        if self.kind == "descriptive":
            return f"cites “{self.evidence}”"
        return self.answer


def load_gold(path: Path) -> list[GoldItem]:
    """Read a gold JSONL file (extra fields are ignored; a bad line is a one-line error)."""
    items: list[GoldItem] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"cannot read the gold file {path}: {exc}") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(GoldItem(
                id=str(raw.get("id") or f"line{n}"),
                question=str(raw["question"]),
                answer=raw.get("answer"),
                kind=str(raw.get("kind") or "unknown"),
                source=raw.get("source"),
                evidence=raw.get("evidence"),
                history=tuple(str(h) for h in (raw.get("history") or [])),
                place=raw.get("place"),
                answers=tuple(dict(a) for a in raw.get("answers") or ()),
                operands=tuple(dict(a) for a in raw.get("operands") or ()),
                key_phrases=tuple(str(k) for k in raw.get("key_phrases") or ()),
            ))
        except (ValueError, KeyError, TypeError) as exc:
            raise AssistantError(f"{path}:{n}: not a gold item ({exc}); expected JSON with at least 'question'") from None
    if not items:
        raise AssistantError(f"{path} holds no questions")
    return items


def _question_numbers(answer: Answer) -> set[float]:
    return {q.base for q in figures(normalize_text(answer.standalone_question or answer.question))}


def _answer_figures(answer: Answer) -> list[Quantity]:
    """The figures an answer states: not years, dates, citation markers or the question's own."""
    asked = _question_numbers(answer)
    text = answer.text
    return [q for q in figures(text) if not (q.start > 0 and text[q.start - 1] in "[【")
            and not (q.base in asked and not q.unit)]


def _lead(text: str) -> str:
    """An answer's own words, before the quoted report text."""
    return re.split(r"\n\n|报告原文|According to the report", text, maxsplit=1)[0]


def primary_figure(answer: Answer) -> Quantity | None:
    """The figure an answer gives: its first number that is not a year, date or citation marker."""
    found = _answer_figures(answer)
    return found[0] if found else None


def _computed_results(text: str) -> list[Quantity]:
    """Results an answer computed and showed ("… = 0.4个百分点")."""
    return [q for result in re.findall(r" = ([^；;\n]+)", text) for q in figures(result)]


def unsupported_figures(answer: Answer) -> list[str]:
    """Figures an answer shows that no cited passage holds (and that it did not compute)."""
    if answer.abstained:
        return []
    cited = [q for c in answer.citations for q in figures(normalize_text(c.text))]
    computed = _computed_results(answer.text)
    first_line = answer.text.splitlines()[0] if computed else ""
    out = []
    for q in _answer_figures(answer):
        if any(same_number(q, x) for x in cited):
            continue
        if any(same_number(q, x) for x in computed) and (q.start < len(first_line) or " = " in answer.text):
            continue
        out.append(q.text)
    return out


def _cited_from(answer: Answer, expected: dict) -> bool:
    """Is the expected figure shown, and cited from its own source?"""
    want = parse_quantity(str(expected.get("answer", "")))
    if want is None:
        return False
    if not any(same_quantity(q, want) for q in _answer_figures(answer)):
        return False
    source = expected.get("source")
    evidence = normalize_block(str(expected.get("evidence") or ""))
    for c in answer.citations:
        if source and c.source != source and source not in c.text:
            continue
        text = normalize_block(c.text)
        if evidence and evidence in text or any(same_quantity(q, want) for q in figures(text)):
            return True
    return False


def _computed_ok(answer: Answer, item: GoldItem) -> bool:
    want = item.expected
    if want is None:
        return False
    shown = _answer_figures(answer)
    close = lambda q: compatible_units(q, want) and math.isclose(q.base, want.base, rel_tol=1e-3, abs_tol=0.051)  # noqa: E731
    return any(close(q) for q in shown) and all(_cited_from(answer, op) for op in item.operands)


def _described_ok(answer: Answer, item: GoldItem) -> bool:
    evidence = normalize_block(item.evidence or "")
    return bool(evidence) and any(
        (not item.source or c.source == item.source) and evidence in normalize_block(c.text) for c in answer.citations)


def is_correct(answer: Answer, item: GoldItem) -> bool:
    """Right answer: every expected figure (each cited from its source), the computed result
    with its operands, the paragraph a description must cite, or the one figure asked."""
    if not item.answerable:
        return answer.abstained
    if answer.abstained:
        return False
    if item.answers:
        return all(_cited_from(answer, a) for a in item.answers)
    if item.kind == "computed":
        return _computed_ok(answer, item)
    if item.kind == "descriptive":
        return _described_ok(answer, item)
    expected = item.expected
    got = primary_figure(answer)
    if expected is None or got is None:
        return False
    if same_quantity(got, expected):
        return True
    # An answer that first restates a figure of its context ("抓好320个项目，完成投资1600亿元"):
    # right when the expected figure is among the few figures of its own words, all of them cited.
    lead = [q for q in _answer_figures(answer) if q.start < len(_lead(answer.text))]
    return len(lead) <= 3 and any(same_quantity(q, expected) for q in lead) and not unsupported_figures(answer)


def _has_evidence(text: str, item: GoldItem) -> bool:
    return bool(item.evidence) and normalize_block(item.evidence) in text


def _has_figure(text: str, item: GoldItem) -> bool:
    exp = item.expected
    return bool(exp) and any(same_quantity(q, exp) for q in figures(text))


def holds(text: str, item: GoldItem) -> bool:
    """Does a paragraph hold the gold evidence (or the gold figure with its unit)?"""
    return _has_evidence(text, item) or _has_figure(text, item)


def citation_ok(answer: Answer, item: GoldItem) -> bool:
    return any(holds(c.text, item) for c in answer.citations)


def retrieved_ok(answer: Answer, item: GoldItem, k: int = 5) -> bool:
    """The evidence paragraph is among the first k retrieved (a bare figure counts only from its source)."""
    for r in answer.retrieved[:k]:
        from_source = item.source is None or r["source"] == item.source or item.source in r["text"]
        if _has_evidence(r["text"], item) or from_source and _has_figure(r["text"], item):
            return True
    return False


def _same_place(region: str, asked: str) -> bool:
    """上海市长宁区 and 长宁区, 天津滨海新区 and 天津市滨海新区: one place, named more or less fully."""
    return bool(region) and (region == asked or short_form(region) in asked or short_form(asked) in region)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(assistant: Assistant, items: Iterable[GoldItem], backend: str | None = None,
        progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Ask every question through the public API and score the answers."""
    records = []
    for item in items:
        try:
            ans = assistant.ask(item.question, list(item.history), backend=backend)
        except AssistantError as exc:
            ans = Answer(item.question, f"error: {exc}", True, [], backend or "?", 0.0)
        correct = is_correct(ans, item)
        shown_wrong = not ans.abstained and not correct and item.kind not in WHOLE
        records.append({
            "wrong_figure": shown_wrong,
            "wrong_place": bool(shown_wrong and item.place and not any(
                _same_place(c.region, item.place) or short_form(item.place) in c.text for c in ans.citations)),
            "id": item.id, "kind": item.kind, "question": item.question, "history": list(item.history),
            "expected": item.describe_expected(), "predicted": ans.text, "correct": correct,
            "abstained": ans.abstained, "unsupported": unsupported_figures(ans),
            "key_phrases": (round(sum(k in ans.text for k in item.key_phrases) / len(item.key_phrases), 3)
                            if item.key_phrases else None),
            "citation_ok": citation_ok(ans, item) if item.answer and item.kind not in WHOLE else None,
            "retrieved_ok": retrieved_ok(ans, item) if item.answer and item.kind not in WHOLE else None,
            "citations": [{"id": c.paragraph_id, "source": c.source, "quote": c.quote, "text": c.text}
                          for c in ans.citations],
            "retrieved": [r["id"] for r in ans.retrieved],
            "latency_ms": ans.latency_ms, "backend": ans.backend, "notes": ans.notes,
            "fallback_reason": ans.fallback_reason,
            "prompt_tokens": ans.prompt_tokens, "completion_tokens": ans.completion_tokens,
        })
        if progress:
            progress(1)
    return summarize(records, backend or assistant.backend_name(), assistant.config.model)


def summarize(records: list[dict], backend: str, model: str = "") -> dict[str, Any]:
    whole = [r for r in records if r["kind"] in WHOLE]
    single = [r for r in records if r["kind"] not in WHOLE]
    answerable = [r for r in single if r["expected"] is not None]
    unanswerable = [r for r in single if r["expected"] is None]
    correct_answers = [r for r in answerable if r["correct"]]
    latencies = [r["latency_ms"] for r in records]
    by_kind = {}
    for kind in sorted({r["kind"] for r in records}, key=lambda k: (KINDS.index(k) if k in KINDS else 99, k)):
        rows = [r for r in records if r["kind"] == kind]
        by_kind[kind] = {"n": len(rows), "accuracy": round(sum(r["correct"] for r in rows) / len(rows), 4)}
    prompt = sum(r["prompt_tokens"] for r in records)
    completion = sum(r["completion_tokens"] for r in records)
    price = PRICES.get(model, (0.0, 0.0)) if backend == "openai" else (0.0, 0.0)
    div = lambda a, b: round(a / b, 4) if b else 0.0  # noqa: E731
    return {
        "n": len(records),
        "whole_questions": len(whole),
        "whole_accuracy": div(sum(r["correct"] for r in whole), len(whole)),
        "unsupported_figures": sum(len(r.get("unsupported") or ()) for r in records),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "answer_accuracy": div(len(correct_answers), len(answerable)),
        "abstention_accuracy": div(sum(r["abstained"] for r in unanswerable), len(unanswerable)),
        "false_abstention_rate": div(sum(r["abstained"] for r in answerable), len(answerable)),
        "citation_precision": div(sum(bool(r["citation_ok"]) for r in correct_answers), len(correct_answers)),
        "retrieval_recall_at_5": div(sum(bool(r["retrieved_ok"]) for r in answerable), len(answerable)),
        "wrong_figures": sum(1 for r in records if r.get("wrong_figure")),
        "wrong_place_figures": sum(1 for r in records if r.get("wrong_place")),
        "latency_ms": {"p50": _pct(latencies, 50), "p95": _pct(latencies, 95)},
        "by_kind": by_kind,
        "backend": backend,
        "fallbacks": sum(1 for r in records if r["fallback_reason"]),
        "tokens": {"prompt": prompt, "completion": completion,
                   "per_question": round((prompt + completion) / len(records), 1) if records else 0,
                   "estimated_cost_usd": round((prompt * price[0] + completion * price[1]) / 1e6, 6)},
        "items": records,
    }


def extra_documents(gold_path: Path, docs_dir: Path | None = None) -> Path | None:
    """The reports a gold set needs beside the bundled ones: ``docs_dir``, else the folder
    evals/NAME/ next to a gold file named gold_NAME.jsonl, if there is one."""
    if docs_dir is not None:
        return Path(docs_dir)
    name = Path(gold_path).stem
    folder = Path(gold_path).parent / name[len("gold_"):] if name.startswith("gold_") else None
    return folder if folder is not None and folder.is_dir() else None


def assistant_for(config: Config, gold_path: Path, docs_dir: Path | None = None) -> Assistant:
    """An Assistant whose library suits the gold set: the user's library, or — for a set that
    needs more reports — a library of its own (in the data directory) of the bundled reports
    and those."""
    docs = extra_documents(gold_path, docs_dir)
    if docs is None:
        return Assistant(config)
    tag = hashlib.sha1(str(docs.resolve()).encode()).hexdigest()[:8]
    assistant = Assistant(config.with_(data_dir=Path(config.data_dir) / "evals" / f"{docs.name}-{tag}"))
    assistant.add_documents([docs])
    return assistant


GATED = (("answer_accuracy", 0.01), ("abstention_accuracy", 0.01), ("retrieval_recall_at_5", 0.0),
         ("whole_accuracy", 0.02))


def gate(report: dict[str, Any], baseline: dict[str, Any], name: str = "gold.jsonl") -> list[str]:
    """Regressions against the accepted baseline (empty list: the gate passes).  A baseline
    holds one entry per gold file name; a flat one applies to gold.jsonl."""
    if name in baseline:
        baseline = baseline[name]
    elif name != "gold.jsonl" or "answer_accuracy" not in baseline:
        return []
    problems = []
    for key, slack in GATED:
        if key in baseline and report.get(key, 0.0) < baseline[key] - slack - 1e-9:
            problems.append(f"{key} fell from {baseline[key]:.4f} to {report[key]:.4f}")
    return problems


def table(report: dict[str, Any]) -> str:
    """A plain-text table: overall figures, then accuracy per kind."""
    rows = [
        ("backend", report["backend"]),
        ("questions", f"{report['n']} ({report['answerable']} answerable, {report['unanswerable']} unanswerable)"),
        ("answer accuracy", f"{report['answer_accuracy']:.3f}"),
        ("abstention accuracy", f"{report['abstention_accuracy']:.3f}"),
        ("false abstention rate", f"{report['false_abstention_rate']:.3f}"),
        ("citation precision", f"{report['citation_precision']:.3f}"),
        ("retrieval recall@5", f"{report['retrieval_recall_at_5']:.3f}"),
        ("wrong figures shown", f"{report.get('wrong_figures', 0)} ({report.get('wrong_place_figures', 0)} of another place)"),
        ("unsupported figures", str(report.get("unsupported_figures", 0))),
        ("latency p50 / p95 ms", f"{report['latency_ms']['p50']:.0f} / {report['latency_ms']['p95']:.0f}"),
    ]
    if report.get("whole_questions"):
        rows.insert(3, ("whole-question accuracy", f"{report['whole_accuracy']:.3f} ({report['whole_questions']} list/multi/"
                                                   "computed/descriptive)"))
    if report["tokens"]["prompt"]:
        rows.append(("tokens per question", str(report["tokens"]["per_question"])))
        rows.append(("estimated cost US$", str(report["tokens"]["estimated_cost_usd"])))
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    lines.append("")
    lines.append(f"{'kind'.ljust(16)}{'n':>5}{'accuracy':>10}")
    for kind, v in report["by_kind"].items():
        lines.append(f"{kind.ljust(16)}{v['n']:>5}{v['accuracy']:>10.3f}")
    return "\n".join(lines)


def to_html(report: dict[str, Any], name: str = "") -> str:
    """A self-contained page: headline figures, a bar chart per kind, the failed items."""
    e = html.escape
    kinds = list(report["by_kind"].items())
    bar_h, gap, width = 22, 8, 360
    svg_rows = []
    for i, (kind, v) in enumerate(kinds):
        y = i * (bar_h + gap)
        w = int(v["accuracy"] * width)
        svg_rows.append(
            f'<text x="0" y="{y + 16}" font-size="13">{e(kind)} ({v["n"]})</text>'
            f'<rect x="140" y="{y}" width="{width}" height="{bar_h}" fill="#eee"/>'
            f'<rect x="140" y="{y}" width="{w}" height="{bar_h}" fill="#2f7ed8"/>'
            f'<text x="{146 + w}" y="{y + 16}" font-size="13">{v["accuracy"]:.2f}</text>'
        )
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + 200}" '
           f'height="{len(kinds) * (bar_h + gap)}" role="img" aria-label="accuracy per kind">{"".join(svg_rows)}</svg>')
    head = "".join(
        f"<div class='card'><div class='v'>{report[k]:.3f}</div><div class='k'>{e(k)}</div></div>"
        for k in ("answer_accuracy", "abstention_accuracy", "citation_precision", "retrieval_recall_at_5",
                  "false_abstention_rate") + (("whole_accuracy",) if report.get("whole_questions") else ())
    )
    head += f"<div class='card'><div class='v'>{report.get('unsupported_figures', 0)}</div><div class='k'>unsupported figures</div></div>"
    failed = [r for r in report["items"] if not r["correct"]]
    rows = "".join(
        f"<tr><td>{e(r['id'])}</td><td>{e(r['kind'])}</td><td>{e(r['question'])}"
        f"{'<br><small>history: ' + e(' / '.join(r['history'])) + '</small>' if r['history'] else ''}</td>"
        f"<td>{e(str(r['expected']))}</td><td>{e(r['predicted'])}</td>"
        f"<td>{'<br>'.join(e(c['quote']) for c in r['citations'])}</td></tr>"
        for r in failed
    )
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Eval report</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}}.card{{display:inline-block;margin:0 1em 1em 0;
padding:.6em 1em;border:1px solid #ddd;border-radius:6px}}.v{{font-size:1.6em;font-weight:bold}}.k{{color:#555}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ddd;padding:4px;vertical-align:top;font-size:13px}}
</style></head><body><h1>Eval report: {e(name)} {e(report['backend'])}</h1>
<p>{report['n']} questions ({report['answerable']} answerable, {report['unanswerable']} unanswerable);
latency p50 {report['latency_ms']['p50']:.0f} ms, p95 {report['latency_ms']['p95']:.0f} ms.</p>
{head}<h2>Accuracy per kind</h2>{svg}
<h2>Failed items ({len(failed)})</h2><table><tr><th>id</th><th>kind</th><th>question</th><th>expected</th>
<th>predicted</th><th>cited text</th></tr>{rows}</table></body></html>"""


def write_json(report: dict[str, Any], path: Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")

