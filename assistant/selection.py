"""A small local model's short reply: which numbered lines answer the question.

A 1.5B model on 2 cores reads about 90 tokens/s and writes about 10/s, so a written
answer with quotes costs several seconds per sentence.  Instead it reads candidate lines,
each one fact's sentence or one sentence of a passage, labelled with its place, year and
plan/result, and replies ``{"lines": [2, 5]}``.  The answer is built from the chosen
lines: each line is a quote of its passage by construction, and every figure shown still
passes the judge's test for the question (or its part), like any other answer.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .extract import Extractor, Pick
from .facts import SENTENCE, Fact
from .query import Query
from .retrieve import Hit, Retriever


_MARGIN = 0.4  # a chosen figure may match less well than the best candidate, but not much less
_CLEAR = 0.5  # a part of a multi / compare question whose best fact leads the next by this is settled
_LINE_CHARS = 64
_SENTENCE_CHARS = 48  # a description's sentence: enough to tell what it is about


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


def candidate_lines(retriever: Retriever, extractor: Extractor, query: Query, hits: list[Hit],
                    per_part: int = 3) -> list[Line]:
    """Facts whose place, year and plan/result fit (single, multi, compare), passages (list)
    or passage sentences (describe), best first."""
    lines: list[Line] = []
    if query.form in ("list", "describe"):
        places = set(retriever.judge.places(query))
        for hit in hits[:4]:
            p = hit.paragraph
            if p.region not in places:
                continue
            if query.form == "list":  # a list is a passage's figures: the model picks the passage
                lines.append(Line(len(lines) + 1, hit, p.text[:_LINE_CHARS], 0))
                continue
            for m in SENTENCE.finditer(p.text):
                if m.group(0).strip() and len(lines) < 6:
                    lines.append(Line(len(lines) + 1, hit, m.group(0).strip()[:_SENTENCE_CHARS], m.start()))
        return lines
    parts = retriever.parts(query)
    limit = per_part if len(parts) == 1 else 3
    for i, part in enumerate(parts):
        part_hits = hits if part is query else retriever.retrieve(part, k=8)
        by_id = {h.paragraph.id: h for h in part_hits}
        chosen: list = []
        for v in extractor.candidates(retriever, part, part_hits):
            if len(chosen) >= limit:
                break
            if retriever.judge.context(part, v.fact):
                continue
            if any(x.fact.sentence == v.fact.sentence for x in chosen):
                continue  # one line per sentence: the model chooses the sentence, the judge the figure
            chosen.append(v)
        if len(parts) > 1 and len(chosen) > 1 and chosen[0].ok and (
                not chosen[1].ok or chosen[0].probability - chosen[1].probability >= _CLEAR):
            chosen = chosen[:1]  # a part whose best fact is clearly the best has nothing to choose
        for v in chosen:
            hit = by_id.get(v.fact.paragraph_id) or Hit(v.paragraph, 0.0)
            at = v.paragraph.text.find(v.fact.sentence)
            lines.append(Line(len(lines) + 1, hit, _around(v.fact), max(at, 0), v.fact, i))
    return lines


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


def picks_for(retriever: Retriever, query: Query, lines: list[Line], chosen: list[int]) -> list[tuple[Query, list[Pick]]]:
    """Per part of the question, the chosen facts (all of the chosen sentence's facts are
    judged: the model picks the sentence) that pass the judge, best first."""
    parts = retriever.parts(query)
    out: list[tuple[Query, list[Pick]]] = []
    for i, part in enumerate(parts):
        picked = [lines[n - 1] for n in chosen if lines[n - 1].part == i and lines[n - 1].fact is not None]
        facts = {f.id: f for line in picked for f in retriever.facts.get(line.hit.paragraph.id, ())
                 if f.sentence == line.fact.sentence}
        # judged among all of the part's candidates, so a chosen figure competes as it would anywhere
        others = {x.fact.id: x.fact for x in lines if x.part == i and x.fact is not None}
        verdicts = retriever.judge.assess(part, list({**others, **facts}.values())) if facts else []
        best = max((v.probability for v in verdicts if v.ok), default=0.0)
        good = [v for v in verdicts if v.ok and v.fact.id in facts and v.probability >= best - _MARGIN]
        hits = {line.hit.paragraph.id: line.hit for line in picked}
        out.append((part, [Pick(v, hits[v.fact.paragraph_id]) for v in good[:1]]))
    return out
