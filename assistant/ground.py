"""Checks on a generated answer: citation markers must point at given passages, and
every figure must be a fact of a cited passage that passes the judge's test (its
place, year, plan/result and metric agree with the question), the same test the
extractive answer applies.  A figure that merely appears somewhere in the context
is not enough: most wrong answers of small models are misattributions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .judge import Verdict
from .numbers import Quantity, figures, same_number
from .query import Query
from .retrieve import Hit, Retriever

MARKER = re.compile(r"[\[【](\d+(?:\s*[,，、]\s*\d+)*)[\]】]")  # [1], 【2】, [1,3]
ABSTAIN_CUES = re.compile(r"没有找到|未找到|没有提供|未提及|没有提及|无法回答|不清楚|do(?:es)? not say|not (?:mentioned|found|given|stated)|no figure")


@dataclass
class Grounding:
    """The outcome of the checks on one generated answer."""

    ok: bool
    text: str
    cited: list[int] = field(default_factory=list)  # 1-based passage numbers
    abstained: bool = False
    reason: str = ""
    dropped_markers: list[str] = field(default_factory=list)
    support: Verdict | None = None
    supports: list[Verdict] = field(default_factory=list)


def _markers(text: str, n: int) -> tuple[str, list[int], list[str]]:
    cited: list[int] = []
    dropped: list[str] = []

    def keep(m: re.Match[str]) -> str:
        nums = [int(x) for x in re.split(r"\s*[,，、]\s*", m.group(1))]
        good = [x for x in nums if 1 <= x <= n]
        dropped.extend(str(x) for x in nums if not 1 <= x <= n)
        cited.extend(x for x in good if x not in cited)
        return "".join(f"[{x}]" for x in good)

    return MARKER.sub(keep, text), cited, dropped


def check(text: str, query: Query, passages: list[Hit], retriever: Retriever) -> Grounding:
    """Validate an LLM answer against the numbered passages it was given."""
    text = text.strip()
    cleaned, cited, dropped = _markers(text, len(passages))
    # Every figure must be in a cited passage, even one the question states (a question can
    # plant a figure); the figures judged for fit are the ones the question did not give.
    claimed = [q for q in figures(cleaned) if not _is_marker_number(cleaned, q)
               and not (not q.unit and not q.scale and int(q.value) in query.years)]  # "In 2025, …"
    asked = figures(query.text) + years_as_numbers(query)
    new = [q for q in claimed if not any(same_number(q, x) for x in asked)]
    if not cleaned:
        return Grounding(False, "", reason="the LLM gave an empty answer")
    if not claimed:
        if ABSTAIN_CUES.search(cleaned):
            return Grounding(True, cleaned, cited, abstained=True, dropped_markers=dropped)
        return Grounding(False, cleaned, cited, reason="the LLM answer holds no figure", dropped_markers=dropped)
    if not cited:
        return Grounding(False, cleaned, reason="the LLM answer cites no passage", dropped_markers=dropped)
    cited_hits = [passages[i - 1] for i in cited]
    for q in claimed:
        if not any(same_number(q, x) for h in cited_hits for x in figures(h.paragraph.text)):
            return Grounding(False, cleaned, cited, reason=f"{q.text} is not in the cited passages",
                             dropped_markers=dropped)
    if not new:
        return Grounding(False, cleaned, cited, reason="the LLM answer only repeats figures of the question",
                         dropped_markers=dropped)
    facts = [f for h in cited_hits for f in retriever.facts.get(h.paragraph.id, ())]
    verdicts = retriever.judge.assess(query, facts)
    supports: list[Verdict] = []
    for q in new:
        same = [v for v in verdicts if same_number(v.fact.quantity, q)]
        good = next((v for v in same if v.ok), None)
        if good is None:
            why = same[0].reason if same else "no fact of the cited passages has this figure"
            return Grounding(False, cleaned, cited, reason=f"{q.text}: {why}", dropped_markers=dropped)
        supports.append(good)
    return Grounding(True, cleaned, cited, dropped_markers=dropped, support=supports[0], supports=supports)


def years_as_numbers(query: Query) -> list[Quantity]:
    """The question's years as bare numbers ("In 2025, …" is not a figure of the answer)."""
    return [Quantity(str(y), float(y), "", "", 0, 0) for y in query.years]


def _is_marker_number(text: str, q: Quantity) -> bool:
    return q.start > 0 and text[q.start - 1] in "[【" and q.end < len(text) and text[q.end] in "]】,，、"
