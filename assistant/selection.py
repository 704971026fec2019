"""A small local model's short reply: which numbered lines answer the question.

A 1.5B model on 2 cores reads about 90 tokens/s and writes about 10/s, so a written
answer with quotes costs several seconds per sentence.  Instead it reads candidate lines,
each one fact's sentence, labelled with its place, year and plan/result, and replies
``{"lines": [2, 5]}``.  The answer is built from the chosen
lines: each line is a quote of its passage by construction, and every figure shown still
passes the judge's test for the question (or its part), like any other answer.

The lines are the facts that pass the judge.  A part with one line, or whose best
fact leads the next by _CLEAR, is settled without the model.  Otherwise the model confirms the
judge's best fact or refuses them all; a lower-ranked choice gives way to the judge's order.
Lists and descriptions are composed from the passages without the model (it chose their
sentences worse than the composer: gold.jsonl whole questions 0.85 against 0.96).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .extract import Extractor, Pick
from .facts import Fact
from .query import Query
from .retrieve import Hit, Retriever


_CLEAR = 0.5  # a part of a question whose best fact leads the next by this is settled
_LINE_CHARS = 64


@dataclass(frozen=True)
class Line:
    """One numbered candidate line of the prompt."""

    n: int
    hit: Hit
    text: str
    start: int  # offset in the paragraph text
    fact: Fact | None = None
    part: int = 0  # which part of a multi / compare question it is a candidate for


def _label(hit: Hit) -> str:
    p = hit.paragraph
    sense = {"plan": "计划目标", "result": "实际完成"}.get(p.kind, "")
    return "，".join(x for x in (p.region, f"{p.year}年" if p.year else "", sense) if x)


def _line_label(line: Line) -> str:
    """"临川市，2025年，计划目标": the fact's own place, year and sense when it has them."""
    if line.fact is not None:
        f = line.fact
        sense = {"plan": "计划目标", "result": "实际完成"}.get(f.kind, "")
        return "，".join(x for x in (f.place, f"{f.year}年" if f.year else "", sense, f.period) if x)
    return _label(line.hit)


def prompt_lines(lines: list[Line]) -> str:
    """"[3]（临川市，2025年，计划目标）全市生产总值增长6%左右", one per line; the labels are
    left out when every line has the same one (the judge already chose the question's context,
    and each label costs the model about ten tokens to read)."""
    labels = [_line_label(x) for x in lines]
    if len(set(labels)) == 1:
        return "\n".join(f"[{x.n}] {x.text}" for x in lines)
    return "\n".join(f"[{x.n}]（{label}）{x.text}" for x, label in zip(lines, labels))


@dataclass
class Candidates:
    """The numbered lines of the prompt, and per part of the question the facts they were
    judged among (a chosen figure is judged again among all of them, never among the shown
    lines alone: a line's fact must beat every fact the extractive answer would weigh)."""

    lines: list[Line]
    pools: list[list[Fact]]

    def settled(self) -> list[int]:
        """Lines that are their part's only candidate: nothing to choose, no model call."""
        return [x.n for x in self.lines if sum(y.part == x.part for y in self.lines) == 1]


def candidate_lines(retriever: Retriever, extractor: Extractor, query: Query, hits: list[Hit],
                    per_part: int = 3) -> Candidates:
    """Facts that pass the judge, per part of a single, multi or compare question, best first.
    A part whose best fact leads the next by _CLEAR in probability keeps only that one."""
    lines: list[Line] = []
    parts = retriever.parts(query)
    pools: list[list[Fact]] = []
    for i, part in enumerate(parts):
        part_hits = hits if part is query else retriever.retrieve(part, k=8)
        by_id = {h.paragraph.id: h for h in part_hits}
        verdicts = extractor.candidates(retriever, part, part_hits)
        pools.append([v.fact for v in verdicts])
        chosen: list = []
        for v in verdicts:
            if len(chosen) >= per_part or not v.ok:
                break  # passing facts come first: a failing one is no answer whatever the model says
            if any(x.fact.sentence == v.fact.sentence for x in chosen):
                continue  # one line per sentence: the model chooses the sentence, the judge the figure
            chosen.append(v)
        if len(chosen) > 1 and chosen[0].probability - chosen[1].probability >= _CLEAR:
            chosen = chosen[:1]  # a part whose best fact is clearly the best has nothing to choose
        for v in chosen:
            hit = by_id.get(v.fact.paragraph_id) or Hit(v.paragraph, 0.0)
            at = v.paragraph.text.find(v.fact.sentence)
            lines.append(Line(len(lines) + 1, hit, _around(v.fact), max(at, 0), v.fact, i))
    return Candidates(lines, pools)


def _around(f: Fact) -> str:
    """The fact's sentence, cut to about _LINE_CHARS characters around its clause."""
    if len(f.sentence) <= _LINE_CHARS:
        return f.sentence
    at = max(0, f.sentence.find(f.clause))
    start = max(0, min(at - 20, len(f.sentence) - _LINE_CHARS))
    return ("…" if start else "") + f.sentence[start: start + _LINE_CHARS] + ("…" if start + _LINE_CHARS < len(f.sentence) else "")


def parse_selection(text: str, count: int) -> list[int] | None:
    """The chosen line numbers of a reply (None: not a selection reply)."""
    body = text.strip()
    try:
        data = json.loads(body)
        chosen = data.get("lines") if isinstance(data, dict) else data
    except ValueError:
        found = re.findall(r"\d+", body)
        chosen = [int(x) for x in found] if found and len(body) < 40 else None
    if not isinstance(chosen, list):
        return None
    out: list[int] = []
    for x in chosen:
        try:
            n = int(x)
        except (TypeError, ValueError):
            continue
        if 1 <= n <= count and n not in out:
            out.append(n)
    return out


def picks_for(retriever: Retriever, query: Query, candidates: Candidates,
              chosen: list[int]) -> list[tuple[Query, list[Pick]]]:
    """Per part of the question, the fact the model chose when it is the one the judge ranks
    first among all the part's candidates (all of a chosen sentence's facts are judged: the
    model picks the sentence); an empty list where it is not."""
    lines = candidates.lines
    out: list[tuple[Query, list[Pick]]] = []
    for i, part in enumerate(retriever.parts(query)):
        picked = [lines[n - 1] for n in chosen if lines[n - 1].part == i and lines[n - 1].fact is not None]
        facts = {f.id: f for line in picked for f in retriever.facts.get(line.hit.paragraph.id, ())
                 if f.sentence == line.fact.sentence}
        pool = {f.id: f for f in candidates.pools[i]} if i < len(candidates.pools) else {}
        verdicts = retriever.judge.assess(part, list({**pool, **facts}.values())) if facts else []
        # the model confirms the judge's best fact or refuses; it does not override the judge's
        # order (where it chose a lower-ranked line of the gold sets it was right 1 time in 4)
        best = next((v for v in verdicts if v.ok), None)
        hits = {line.hit.paragraph.id: line.hit for line in picked}
        out.append((part, [Pick(best, hits[best.fact.paragraph_id])] if best and best.fact.id in facts else []))
    return out
