"""The extractive answer: the best fact that passes the judge's test, from the retrieved
paragraphs and from the facts whose metric phrase is nearest the question's.

A question that names no place, asked of a library that holds several places, is
answered per place, each figure with its place named, never with one place's figure
alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from .facts import Fact
from .judge import MONEY, Verdict, expected_units
from .query import Query
from .retrieve import Hit, Retriever


@dataclass
class Pick:
    """A fact chosen to answer, and the retrieved (or found) paragraph it cites."""

    verdict: Verdict
    hit: Hit

    @property
    def fact(self) -> Fact:
        return self.verdict.fact


class Extractor:
    """Chooses the facts that answer a question; abstains when none passes."""

    def __init__(self, fact_pool: int = 30) -> None:
        self.fact_pool = fact_pool

    def candidates(self, retriever: Retriever, query: Query, hits: list[Hit]) -> list[Verdict]:
        """Facts of the retrieved paragraphs and the nearest facts of the question's places, judged."""
        facts: dict[str, Fact] = {}
        for h in hits:
            for f in retriever.facts.get(h.paragraph.id, ()):
                facts.setdefault(f.id, f)
        for f in retriever.fact_search(query, self.fact_pool):
            facts.setdefault(f.id, f)
        units = set(expected_units(query)) - {"%", "个百分点", "人", *MONEY}
        if units:  # a rare unit (标箱, 人次, 吨) narrows the search to the facts that have it
            places = set(retriever.judge.places(query))
            for f in retriever.all_facts:
                if f.unit in units and f.place in places:
                    facts.setdefault(f.id, f)
        return retriever.judge.assess(query, list(facts.values()))

    def picks(self, retriever: Retriever, query: Query, hits: list[Hit],
              verdicts: list[Verdict] | None = None) -> list[Pick]:
        """The answer: one fact, or one per place when the question names none of several."""
        verdicts = self.candidates(retriever, query, hits) if verdicts is None else verdicts
        passing = [v for v in verdicts if v.ok]
        if not passing:
            return []
        by_id = {h.paragraph.id: h for h in hits}
        places = retriever.judge.places(query)
        chosen: list[Verdict] = []
        if len(places) <= 1 or query.places:
            chosen = [passing[0]]
        else:
            for place in places:
                best = next((v for v in passing if v.fact.place == place), None)
                if best is not None:
                    chosen.append(best)
            chosen.sort(key=lambda v: -v.score)
        return [Pick(v, by_id.get(v.fact.paragraph_id) or Hit(v.paragraph, 0.0)) for v in chosen]
