"""The LLM's structured reply, checked claim by claim and figure by figure.

The reply is JSON: ``{"claims": [{"text": "…", "passage": 1, "quotes": ["…"]}]}`` (no
claims: the passages do not say).  Each claim names the passage it comes from and quotes
it word for word; each figure of a claim must be in one of its quotes, each quote in its
passage, and each figure a fact of that passage that passes the judge's test:

- the answer figures (at least one per claim of a figure question) pass the whole test
  against the question, or against one of its parts (multi, compare);
- other figures of a claim, restated context ("抓好320个项目，完成投资1600亿元"), and the
  figures of list and describe answers must be facts of the passage whose place, year
  and plan/result agree with the question;
- a comparison's result is accepted only when it is what the code computes from two
  checked figures, and the arithmetic is shown.

A claim that fails is dropped and the user is told which figure and why.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .arithmetic import compute
from .ground import years_as_numbers
from .normalize import normalize_block
from .numbers import Quantity, figures, same_number
from .query import Query
from .retrieve import Hit, Retriever

_TEXT_FIELD = re.compile(r'"text"\s*:\s*"((?:[^"\\]|\\.)*)"')


@dataclass
class Claim:
    """One checked claim of a reply."""

    text: str
    passage: int  # 1-based
    quotes: list[str]
    at: int | None = None  # where its first quote starts in the passage


@dataclass
class Checked:
    """The outcome of the checks on a structured reply."""

    claims: list[Claim] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # "figure: why", for the user
    arithmetic: list[str] = field(default_factory=list)
    abstained: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.claims) or self.abstained


def parse_reply(text: str) -> list[dict] | None:
    """The claims of a JSON reply (None when the reply is not one: it is checked as prose)."""
    body = text.strip()
    fence = re.match(r"^```(?:json)?\s*(.*?)\s*```$", body, re.S)
    body = fence.group(1) if fence else body
    if not body.startswith("{"):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list):
        return None
    return [c for c in claims if isinstance(c, dict)]


def streamed_texts(buffer: str) -> list[str]:
    """The claim texts complete so far in a partial JSON reply (for streaming)."""
    out = []
    for m in _TEXT_FIELD.finditer(buffer):
        try:
            out.append(json.loads(f'"{m.group(1)}"'))
        except ValueError:
            continue
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", normalize_block(text))


class ReplyChecker:
    """Checks the claims of one reply against the passages the LLM was given."""

    def __init__(self, retriever: Retriever, query: Query, passages: list[Hit]) -> None:
        self.retriever = retriever
        self.query = query
        self.passages = passages
        self.parts = retriever.parts(query)
        self.asked = figures(query.text) + years_as_numbers(query)

    def check(self, raw: list[dict]) -> Checked:
        out = Checked()
        if not raw:
            out.abstained = True
            return out
        accepted: list[tuple[Claim, list[Quantity]]] = []
        for item in raw[:12]:
            claim, why = self._claim(item)
            if claim is None:
                out.dropped.append(why)
                continue
            numbers, why = self._figures(claim)
            if why:
                out.dropped.append(why)
                continue
            accepted.append((claim, numbers))
        stated = [q for _, qs in accepted for q in qs]
        for claim, _ in accepted:
            computed, why = self._computed(claim, stated)
            if why:
                out.dropped.append(why)
                continue
            out.arithmetic += computed
            out.claims.append(claim)
        return out

    def _claim(self, item: dict) -> tuple[Claim | None, str]:
        text = str(item.get("text") or "").strip()
        try:
            n = int(item.get("passage"))
        except (TypeError, ValueError):
            n = 0
        quotes = [str(q) for q in item.get("quotes") or [] if str(q).strip()]
        if not text:
            return None, "an empty claim"
        if not 1 <= n <= len(self.passages):
            return None, f"“{text[:30]}”: it cites no given passage"
        body = _squash(self.passages[n - 1].paragraph.text)
        missing = [q for q in quotes if _squash(q) not in body]
        if missing:
            return None, f"“{missing[0][:30]}” is not in passage [{n}]"
        at = self.passages[n - 1].paragraph.text.find(quotes[0][:6]) if quotes else -1
        return Claim(text, n, quotes, at if at >= 0 else None), ""

    def _figures(self, claim: Claim) -> tuple[list[Quantity], str]:
        """The claim's figures that are facts of its passage ('' or why it fails)."""
        shown = [q for q in figures(claim.text)
                 if not (not q.unit and not q.scale and int(q.value) in self.query.years)]
        if not shown:
            return [], ""
        quoted = [q for quote in claim.quotes for q in figures(quote)]
        hit = self.passages[claim.passage - 1]
        facts = self.retriever.facts.get(hit.paragraph.id, ())
        judge = self.retriever.judge
        own: list[Quantity] = []
        answers = 0
        for q in shown:
            if any(same_number(q, x) for x in self.asked) and not any(same_number(q, x) for x in quoted):
                continue  # the question's own figure, restated
            if not any(same_number(q, x) for x in quoted):
                if self.query.form == "compare":
                    continue  # perhaps the computed result: checked once every claim is in
                return [], f"{q.text}: not in the claim's quotes of passage [{claim.passage}]"
            same = [f for f in facts if same_number(f.quantity, q)]
            if not same:
                return [], f"{q.text}: no fact of passage [{claim.passage}] has this figure"
            if self.query.form in ("list", "describe"):
                reasons = [judge.context(self.query, f) for f in same]
                if all(reasons):
                    return [], f"{q.text}: {reasons[0]}"
            else:
                verdicts = [v for part in self.parts for v in judge.assess(part, same)]
                if any(v.ok for v in verdicts):
                    answers += 1
                elif all(judge.context(part, f) for part in self.parts for f in same):
                    why = next((v.reason for v in verdicts if v.reason), "")
                    return [], f"{q.text}: {why}"
            own.append(q)
        if self.query.form not in ("list", "describe", "compare") and own and not answers:
            why = next((v.reason for v in self.retriever.judge.assess(self.parts[0], [
                f for f in facts if any(same_number(f.quantity, q) for q in own)]) if v.reason), "")
            return [], f"{own[0].text}: {why or 'not the figure asked for'}"
        return own, ""

    def _computed(self, claim: Claim, stated: list[Quantity]) -> tuple[list[str], str]:
        """A compare claim's figures outside its quotes must be computed from two checked figures."""
        if self.query.form != "compare":
            return [], ""
        quoted = [q for quote in claim.quotes for q in figures(quote)]
        shown = [q for q in figures(claim.text) if not any(same_number(q, x) for x in quoted + self.asked)
                 and not (not q.unit and int(q.value) in self.query.years)]
        lines = []
        for q in shown:
            found = None
            for a in stated:
                for b in stated:
                    if a is b:
                        continue
                    r = compute(a, b, self.query.operation or "difference")
                    if r is not None and abs(abs(float(r.value)) - q.value) < 1e-9:
                        found = r
                        break
                if found:
                    break
            if found is None:
                return [], f"{q.text}: not a figure of the passages, nor computed from two of them"
            lines.append(found.arithmetic)
        return lines, ""
