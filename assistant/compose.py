"""Extractive answers to whole questions (``forms``), built only from judged, cited facts:

- ``multi``: each part answered as a single-figure question, each figure from its own report;
- ``compare``: the two operands answered the same way, the result computed here with the
  arithmetic shown ("5.9% − 5.5% = 0.4个百分点");
- ``list``: the figures of the best passage whose place, year and plan/result are the question's;
- ``describe``: the best passages quoted.

Every figure shown is a fact of a cited paragraph, or a result computed from two of them.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from .arithmetic import Computed, compute
from .clean import SECTION_SEP, Paragraph
from .extract import Extractor, Pick
from .facts import SENTENCE
from .metric import cosines
from .query import Query
from .retrieve import Hit, Retriever

log = logging.getLogger(__name__)
_CJK_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
_LIST_MAX = 24
_DESCRIBE_SENTENCES = 4
_DESCRIBE_SCAN = 3000  # sentences an English description ranks (a few reports of one place and year)
_ASKED_SIDE = re.compile(r"比([\u4e00-\u9fff]{2,8}?)(?:的)?(?:高|低|快|慢|多|少|超|领先)")
_FACT_SIDE = re.compile(r"(?:高于|低于|快于|慢于|多于|少于|高出|超出|领先)([\u4e00-\u9fff]{2,8})")
_STATED_GAP = re.compile(r"高于|低于|多于|少于|快于|慢于|超出|高出|超过.{0,6}目标|比|较")
_LIST_WORDS = re.compile(r"有哪些|哪些|什么|量化|主要|预期|目标|指标|数据|数字|任务|成绩|成效|方面|提出了?|定了?|上|在|的|和|与")
_DESCRIBE_WORDS = re.compile(r"什么是|是什么|怎样|怎么样?|如何|主要|内容|具体|哪些|做什么|事|包括|推进得|准备|情况")


@dataclass
class Composed:
    """An extractive answer: text with [n] markers and the (paragraph, offset) each marker cites."""

    text: str
    cites: list[tuple[Hit, int | None]] = field(default_factory=list)
    abstained: bool = False
    notes: list[str] = field(default_factory=list)

    def cite(self, hit: Hit, at: int | None) -> int:
        """The marker number for the sentence at ``at`` of ``hit`` (one per distinct sentence)."""
        key = (hit.paragraph.id, _sentence_span(hit.paragraph.text, at))
        for n, (h, a) in enumerate(self.cites, start=1):
            if (h.paragraph.id, _sentence_span(h.paragraph.text, a)) == key:
                return n
        self.cites.append((hit, at))
        return len(self.cites)


def _sentence_span(text: str, at: int | None) -> tuple[int, int]:
    for m in SENTENCE.finditer(text):
        if at is None or m.start() <= at < m.end():
            return m.start(), m.end()
    return 0, len(text)


def _label(part: str) -> str:
    """"2024年临川市生产总值增长目标是多少？" → "2024年临川市生产总值增长目标"."""
    return re.sub(r"(?:是|为)?(?:多少|几)[^？?]*[？?]?$|^What (?:was|is|were|are) (?:the )?|[？?]$", "", part).strip()


def _not_found(part: Query, query: Query) -> str:
    return f"{_label(part.text)}：" + ("the reports do not say" if query.english else "报告中没有找到")


class Composer:
    """Answers multi, compare, list and describe questions from the extractor's picks."""

    def __init__(self, extractor: Extractor, k: int = 8) -> None:
        self.extractor = extractor
        self.k = k

    def answer(self, retriever: Retriever, query: Query, hits: list[Hit]) -> Composed | None:
        """The answer for a non-single form (None: answer it as a single-figure question)."""
        if query.form == "compare" and query.parts:
            stated = self._stated(retriever, query, hits)
            if stated is not None:
                return stated
        if query.form in ("multi", "compare") and query.parts:
            parts = [self._pick(retriever, part) for part in retriever.parts(query)]
            return self.multi(query, parts) if query.form == "multi" else self.compare(query, parts)
        if query.form == "list":
            return self._list(retriever, query, hits)
        if query.form == "describe":
            return self._describe(retriever, query, hits)
        return None

    def _stated(self, retriever: Retriever, query: Query, hits: list[Hit]) -> Composed | None:
        """A comparison the report itself states ("分别高于全省0.1个百分点"), if one passes the judge."""
        verdicts = self._same_side(query, retriever, hits)
        picks = self.extractor.picks(retriever, query, hits, verdicts)
        if len(picks) != 1:
            return None
        best = picks[0].verdict
        gaps = [v for v in verdicts if v.ok and v.fact.place == best.fact.place and best.probability - v.probability < 0.2
                and (v.fact.unit in ("个百分点", "倍") or _STATED_GAP.search(v.fact.clause))]
        if not gaps:
            return None
        gaps.sort(key=lambda v: v.fact.unit not in ("个百分点", "倍"))  # "增长22.6%高于全国12个百分点": the gap
        picks = self.extractor.picks(retriever, query, hits, gaps[:1])
        f = picks[0].fact
        out = Composed("")
        out.text = f"{f.written} [{out.cite(picks[0].hit, f.start)}]（{f.place}{f'，{f.year}年' if f.year else ''}）"
        return out

    def _same_side(self, query: Query, retriever: Retriever, hits: list[Hit]) -> list:
        """The judged facts, without those compared with another side than the question's
        ("高于全国0.7个百分点" does not answer "比全省高出多少")."""
        side = _ASKED_SIDE.search(query.text)
        verdicts = self.extractor.candidates(retriever, query, hits)
        if not side:
            return verdicts
        def other(metric: str) -> bool:
            m = _FACT_SIDE.search(metric)
            return bool(m) and side.group(1) not in m.group(1) and m.group(1) not in side.group(1)
        kept = [v.fact for v in verdicts if not other(v.fact.metric)]
        return retriever.judge.assess(query, kept) if len(kept) < len(verdicts) else verdicts

    def _pick(self, retriever: Retriever, part: Query) -> tuple[Query, list[Pick]]:
        hits = retriever.retrieve(part, k=self.k)
        return part, self.extractor.picks(retriever, part, hits)

    def multi(self, query: Query, parts: list[tuple[Query, list[Pick]]]) -> Composed:
        """Each part's figure on a line of its own, cited (a part without one says so)."""
        out = Composed("")
        lines = []
        for part, picks in parts:
            if not picks:
                lines.append(_not_found(part, query))
                continue
            shown = "；".join(f"{p.fact.place}{p.fact.written} [{out.cite(p.hit, p.fact.start)}]" if len(picks) > 1
                             else f"{p.fact.written} [{out.cite(p.hit, p.fact.start)}]" for p in picks)
            lines.append(f"{_label(part.text)}：{shown}")
        if not out.cites:
            return Composed("", abstained=True)
        out.text = "\n".join(lines)
        return out

    def compare(self, query: Query, parts: list[tuple[Query, list[Pick]]]) -> Composed:
        """The two operands, cited, and the result computed from them with the arithmetic."""
        picks = [p[0] if p else None for _, p in parts]
        out = Composed("")
        lines = []
        for (part, _), pick in zip(parts, picks):
            if pick is None:
                lines.append(_not_found(part, query))
            else:
                lines.append(f"{_label(part.text)}：{pick.fact.written} [{out.cite(pick.hit, pick.fact.start)}]")
        if not out.cites:
            return Composed("", abstained=True)
        a, b = picks[0], picks[1] if len(picks) > 1 else None
        if a and b and a.fact.id == b.fact.id:  # both sides found the same figure: nothing to compare
            b = None
        result: Computed | None = compute(a.fact.quantity, b.fact.quantity, query.operation) if a and b else None
        if result is None:
            missing = "one of the two figures is not in the reports" if query.english else "缺少其中一个数字，无法计算"
            reason = missing if not (a and b) else (
                "the two figures cannot be compared (different units)" if query.english else "两个数字单位不同，无法计算")
            out.text = f"{reason}{'.' if query.english else '。'}\n" + "\n".join(lines)
            out.notes.append(reason)
            out.abstained = True  # no answer to what was asked, only what the reports do say
            return out
        arithmetic = result.arithmetic
        if result.operation == "growth":
            gap = compute(a.fact.quantity, b.fact.quantity, "difference")
            arithmetic += f"；{gap.arithmetic}" if gap else ""
        out.text = f"{result.phrase(query.english)}\n{arithmetic}\n" + "\n".join(lines)
        return out

    def _list(self, retriever: Retriever, query: Query, hits: list[Hit]) -> Composed:
        judge = retriever.judge
        chosen: list[tuple[Hit, list]] = []
        for hit in hits[:5]:
            facts = [f for f in retriever.facts.get(hit.paragraph.id, ()) if not judge.context(query, f)]
            if len(facts) >= 2:
                chosen.append((hit, facts))
        if not chosen:
            return Composed("", abstained=True)
        if not query.years:  # no year asked: the newest of the good passages
            newest = max((h.paragraph.year or 0) for h, _ in chosen[:3])
            chosen = [c for c in chosen[:3] if (c[0].paragraph.year or 0) == newest] + chosen
        hit, facts = chosen[0]
        out = Composed("")
        section = hit.paragraph.section
        group = self._section(retriever, query, chosen) or (
            [(hit, facts)] + [(h, fs) for h, fs in chosen[1:] if section and h.paragraph.section == section
                              and h.paragraph.source == hit.paragraph.source][:2])
        hit, facts = group[0]
        lines = [f"- {f.metric or f.clause}：{f.written} [{out.cite(h, f.start)}]"
                 for h, fs in group for f in fs][:_LIST_MAX]
        place = facts[0].place
        when = f"{facts[0].year}年" if facts[0].year else ""
        head = f"{place}{when}" + ("" if not query.english else " (from the report)")
        out.text = f"{head}：\n" + "\n".join(lines)
        return out

    @staticmethod
    def _section(retriever: Retriever, query: Query, chosen: list[tuple[Hit, list]]) -> list[tuple[Hit, list]]:
        """A list about what a section heading names ("科技创新上有哪些目标？"): the figures of
        that section's paragraphs, in the document's order ([] when no heading names the topic)."""
        topic = _LIST_WORDS.sub("", query.metric or query.text)
        pairs = {m.group(1) for m in _CJK_PAIR.finditer(topic)}
        if len(pairs) < 2:
            return []
        heading = lambda h: h.paragraph.section.split(SECTION_SEP)[-1]  # noqa: E731
        best = max(chosen[:3], key=lambda c: _overlap(pairs, heading(c[0])))[0]
        if not best.paragraph.section or _overlap(pairs, heading(best)) < 0.6:
            return []
        hits = {h.paragraph.id: h for h, _ in chosen}
        same = sorted((p for p in retriever.paragraphs.values() if p.source == best.paragraph.source
                       and p.section == best.paragraph.section), key=lambda p: p.position)
        group = []
        for p in same:
            facts = [f for f in retriever.facts.get(p.id, ()) if not retriever.judge.context(query, f)]
            if facts:
                group.append((hits.get(p.id) or Hit(p, 0.0), facts))
        return group

    def _describe(self, retriever: Retriever, query: Query, hits: list[Hit]) -> Composed:
        if query.english:
            return self._describe_english(retriever, query, hits)
        places = set(retriever.judge.places(query))
        topic = _DESCRIBE_WORDS.sub("", query.metric or query.text)
        pairs = {m.group(1) for m in _CJK_PAIR.finditer(topic)}
        found: list[tuple[float, int, Hit, list[tuple[int, int]]]] = []
        for rank, hit in enumerate(hits[:6]):
            p = hit.paragraph
            if not _about(p, query, places):
                continue
            sentences = [(m.start(), m.end()) for m in SENTENCE.finditer(p.text) if m.group(0).strip()]
            scored = sorted(sentences, key=lambda s: -_overlap(pairs, p.text[s[0]:s[1]]))
            if pairs and _overlap(pairs, p.section + p.text) < 0.5:
                continue
            best = _overlap(pairs, p.text[scored[0][0]:scored[0][1]]) if scored else 0.0
            found.append((best, rank, hit, sorted(scored[:3])))
        # the passages whose best sentence covers most of the topic, then in retrieval order
        found.sort(key=lambda x: (-round(x[0], 2), x[1]))
        return self._quoted(query, [(hit, spans) for _, _, hit, spans in found[:2]])

    def _describe_english(self, retriever: Retriever, query: Query, hits: list[Hit]) -> Composed:
        """An English description: the sentences of the question's place and year nearest the
        question in the second (multilingual USE) embedding, whose sentence-level cross-lingual
        ranking is better than e5's; no Chinese word overlap can rank them."""
        places = set(retriever.judge.places(query))
        by_id = {h.paragraph.id: h for h in hits}
        spans: list[tuple[str, int, int, str]] = []
        ordered = [h.paragraph for h in hits] + [p for p in retriever.paragraphs.values() if p.id not in by_id]
        for p in ordered:  # the retrieved passages first, then the rest, up to a bound
            if len(spans) >= _DESCRIBE_SCAN:
                break
            if not _about(p, query, places):
                continue
            spans += [(p.id, m.start(), m.end(), m.group(0).strip()) for m in SENTENCE.finditer(p.text)
                      if len(m.group(0).strip()) >= 8]
        if not spans:
            return Composed("", abstained=True)
        vectors = retriever.second_vectors
        try:
            scores = list(cosines(vectors.get([x[3] for x in spans]), vectors.get([query.text])[0]))
        except Exception as exc:  # noqa: BLE001 - without the model, the retrieved passages in order
            log.warning("the second embedding is unavailable (%s); quoting the retrieved passages", exc)
            scores = [-float(i) for i in range(len(spans))]
        best = sorted(range(len(spans)), key=lambda i: -scores[i])[:_DESCRIBE_SENTENCES]
        grouped: dict[str, list[tuple[int, int]]] = {}
        for i in best:
            grouped.setdefault(spans[i][0], []).append((spans[i][1], spans[i][2]))
        return self._quoted(query, [(by_id.get(pid) or Hit(retriever.paragraphs[pid], 0.0), sorted(found))
                                    for pid, found in grouped.items()])

    @staticmethod
    def _quoted(query: Query, good: list[tuple[Hit, list[tuple[int, int]]]]) -> Composed:
        """Sentences quoted and cited, passage by passage."""
        if not good:
            return Composed("", abstained=True)
        out = Composed("")
        lines = []
        for hit, spans in good:
            for a, b in spans:
                n = out.cite(hit, a)
                lines.append(f"[{n}] “{hit.paragraph.text[a:b].strip()}”")
        lead = "The reports say:" if query.english else "报告中的相关内容："
        out.text = lead + "\n" + "\n".join(lines)
        return out


def _about(p: Paragraph, query: Query, places: set[str]) -> bool:
    """A paragraph of the question's places and (when it asks one) year."""
    return p.region in places and (not query.years or p.year in query.years or bool(set(query.years) & set(p.years)))


def _overlap(pairs: set[str], text: str) -> float:
    """Share of the topic's character pairs found in ``text``."""
    return sum(1 for x in pairs if x in text) / len(pairs) if pairs else 0.0
