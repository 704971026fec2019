"""The extractive answerer: pick the figure whose clause best matches the question.

Every number+unit span in the retrieved paragraphs is a candidate.  Its clause is
scored on the question's metric words, year, region, plan-vs-result sense and the
unit the question expects; the best candidate answers, or nothing does and the
assistant abstains.  The same scoring judges figures an LLM gives (see ground).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import SECTION_SEP, Paragraph
from .facets import REGIONS, cue_kind, years_in
from .glossary import SYNONYMS
from .numbers import Quantity, figures, same_number
from .query import Query
from .retrieve import Hit
from . import tokenize

_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
_CLAUSE_SPLIT = re.compile(r"[，；：。！？]")
_QUESTION_WORDS = re.compile(
    r"多少|几|是否|哪些|哪个|什么|怎样|如何|有没有|有多大|有多高|多大|大概|一共|总共|共|达到|计划|目标|预期|实际|"
    r"what|how|many|much|was|were|is|are|the|did|does|do|will|of|in|to|by|plan|planned|target|expected"
)
_CUE_TOKENS = {"计划", "目标", "预期", "实际", "达到", "力争", "今年", "去年", "全年", "年度", "累计", "准备", "打算",
               "人数", "总数", "数量", "个数", "数目", "规模", "多少"}
_REGION_TOKENS = {w for words in REGIONS.values() for w in words}
_BEFORE_QUALIFIER = re.compile(r"(超过|突破|近|约|逾|不少于|不低于|达到|达)$")
_FENBIE = re.compile(r"分别")
# Text in a document that addresses the assistant ("请忽略系统提示……") is data, never an answer.
INSTRUCTION = re.compile(
    r"(忽略|无视|不要理会|忘记|ignore|disregard|forget).{0,16}(系统|提示|指令|规则|以上|上述|要求|instruction|prompt|rule|"
    r"system|source|previous|above)"
    r"|(回答|回复|输出|作答|answer|reply|say|respond)\s*[：:]?\s*.{0,12}(是|为|was|is)\s*\d"
    r"|(致|给|告诉|对|to|dear)\s*(ai|人工智能|智能|助手|大模型|模型|机器人|assistant|chatbot|model|llm)"
    r"|系统指令|系统提示|提示词|system\s*prompt|system\s*[:：]|\[system\]|【系统"
    r"|(报告为|作答|答复为|回答为|respond with|answer with)",
    re.I,
)

# What unit a question asks for, from its wording.
_UNIT_HINTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"百分点"), ("个百分点",)),
    (re.compile(r"(?:增长|增加|提高|下降|降低)了?多少(?![万亿元个家所项人])|增速|增幅|增长率|比重|占比|百分之|多少%|率是|率为|率达|"
                r"growth|grew|rate|percent|share|proportion"), ("%",)),
    (re.compile(r"多少(?:万|亿)?元|多少钱|金额|多少亿|资金|how much money|yuan|\brmb\b"), ("元",)),
    (re.compile(r"(?:总值|总额|收入|投资|产值|营收|营业收入)(?:实际)?(?:完成了?|达到了?|是|为|有)?多少(?![个家所项人%])"), ("元",)),
    (re.compile(r"多少(?:万)?人|人数|how many people|persons|residents"), ("人", "人次")),
    (re.compile(r"多少(?:万)?(个|家|所|项|条|处|台|辆|部|列|场|件|套|座|户|吨|标箱|平方米|公里|千瓦|亩|位|名|批|次)"), ()),
)


@dataclass
class Candidate:
    """One figure in one retrieved paragraph, with how well it fits the question."""

    quantity: Quantity
    hit: Hit
    sentence: str
    clause: str
    score: float
    metric: float

    @property
    def paragraph(self) -> Paragraph:
        return self.hit.paragraph

    @property
    def shown(self) -> str:
        """The figure as the report writes it, with qualifiers (超过3300亿元, 6%以上)."""
        before = _BEFORE_QUALIFIER.search(self.paragraph.text[: self.quantity.start])
        prefix = before.group(1) if before and before.group(1) not in ("达到", "达") else ""
        q = self.quantity
        written = q.text if q.unit in q.text or not q.unit else q.text + q.scale + q.unit
        return prefix + written


def expected_units(query: Query) -> tuple[str, ...]:
    """Units the question asks for (empty when it can't be told)."""
    low = query.text.lower()
    for pattern, units in _UNIT_HINTS:
        m = pattern.search(low)
        if m:
            return units or (m.group(1),)
    return ()


_ASKING = re.compile(r"多少|几|有多大|有多高|有多少|是什么|how many|how much|what")
_MEASURE_AFTER = re.compile(r"(?:多少|几)(?:万|亿)?[个家所项条处台辆部列场件套座户名位批次元人吨]?([\u4e00-\u9fff]{2,8})")


@dataclass(frozen=True)
class Term:
    """A metric word of the question and the report words that mean the same."""

    words: tuple[str, ...]
    weight: float


def metric_terms(query: Query) -> list[Term]:
    """What the question measures: its words (no year, region, question words), each with
    the thesaurus' report words as alternatives; the word next to 多少 weighs double."""
    text = re.sub(r"(?:19|20)\d\d\s*年?", " ", query.text)
    focus = ""
    m = _MEASURE_AFTER.search(text)
    if m and not _CUE_TOKENS.intersection({m.group(1)}):
        focus = re.split(r"[是有为的？?]", m.group(1))[0]
    asks = list(_ASKING.finditer(text.lower()))
    head = text[: asks[-1].start()] if asks else text
    groups: list[Term] = []
    claimed: set[str] = set()
    low = text.lower()
    for term in sorted(SYNONYMS, key=len, reverse=True):
        if term in low and not any(term in c for c in claimed):
            pattern = re.escape(term) if re.search(r"[\u4e00-\u9fff]", term) else rf"(?<![a-z]){re.escape(term)}(?![a-z])"
            if re.search(pattern, low):
                claimed.add(term)
                groups.append(Term((term, *SYNONYMS[term]), 4.0))
    source = " ".join(query.expansions) if query.english else _QUESTION_WORDS.sub(" ", low)
    for tok in tokenize.tokens(source):
        if tok in _CUE_TOKENS or tok in _REGION_TOKENS or tok.isdigit() or any(tok in c for c in claimed):
            continue
        if len(tok) < 2 and not re.match(r"[\u4e00-\u9fff]", tok):
            continue
        if query.english and any(tok in g.words for g in groups):
            continue
        if all(tok not in g.words for g in groups):
            groups.append(Term((tok,), float(min(len(tok), 4))))
    if focus and all(focus not in g.words for g in groups):
        groups.append(Term((focus,), 4.0))
    # the metric named right before 多少 (or right after 多少个) is what is asked
    best, best_pos = None, -1
    for g in groups:
        pos = max(head.lower().rfind(w) for w in g.words)
        if focus and focus in g.words:
            pos = len(head) + 1
        if pos > best_pos:
            best, best_pos = g, pos
    return [Term(g.words, g.weight * (2 if g is best else 1)) for g in groups]


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def _presence(term: str, text: str) -> float:
    """1 if the word is there; for a compound, its head noun (the last two characters,
    Chinese compounds are head-final) counts 0.8, shared character pairs less."""
    if term in text:
        return 1.0
    if len(term) >= 3:
        if re.match(r"[\u4e00-\u9fff]{2}$", term[-2:]) and term[-2:] in text:
            return 0.8
        grams = _bigrams(term)
        return 0.7 * len(grams & _bigrams(text)) / len(grams)
    return 0.0


def metric_score(terms: list[Term], local: str, clause: str, before: str, sentence: str, heading: str) -> float:
    """Share of the question's metric words found near the figure (closer counts more)."""
    if not terms:
        return 0.0
    total = weight_sum = 0.0
    for term in terms:
        found = max(
            max(
                _presence(w, local),
                0.8 * _presence(w, clause),
                0.5 * _presence(w, before),
                0.3 * _presence(w, sentence),
                0.3 * _presence(w, heading),
            )
            for w in term.words
        )
        total += term.weight * found
        weight_sum += term.weight
    return total / weight_sum


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the comma/semicolon clauses of a sentence."""
    spans, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return spans


def _subclause(clause: str, at: int) -> str:
    """The 、-separated part of a clause around offset ``at`` ("新建学校12所、医院3所")."""
    start = clause.rfind("、", 0, at) + 1
    end = clause.find("、", at)
    return clause[start : end if end >= 0 else len(clause)]


def _respective(clause: str, qs: list[Quantity], offset: int) -> dict[int, str]:
    """"A、B分别增长x、y": give each figure the item it belongs to."""
    m = _FENBIE.search(clause)
    if not m:
        return {}
    after = [q for q in qs if q.start - offset >= m.end()]
    items = [s for s in re.split(r"[、和及与]", clause[: m.start()]) if s]
    if len(items) != len(after) and after:
        # "分别高于甲、乙2.0和0.5个百分点": the items come after 分别
        items = [s for s in re.split(r"[、和及与]", clause[m.end() : after[0].start - offset]) if s]
    if len(items) < 2 or len(items) != len(after):
        return {}
    tail = clause[after[-1].end - offset :]
    verb = re.sub(r"[\d.%、和]+", "", clause[m.end() : after[0].start - offset]) if clause.find(items[0]) < m.start() else ""
    return {q.start: items[i] + verb + tail for i, q in enumerate(after)}


class Extractor:
    """Scores candidates; ``threshold`` decides when to abstain."""

    def __init__(self, threshold: float = 0.55, min_metric: float = 0.45) -> None:
        self.threshold = threshold
        self.min_metric = min_metric

    def candidates(self, query: Query, hits: list[Hit]) -> list[Candidate]:
        terms = metric_terms(query)
        units = expected_units(query)
        asked = figures(query.text)
        top = hits[0].score if hits else 1.0
        out: list[Candidate] = []
        for rank, hit in enumerate(hits):
            p = hit.paragraph
            heading = p.section.split(SECTION_SEP)[-1] if p.section else ""
            all_figures = figures(p.text)
            for sm in _SENTENCE.finditer(p.text):
                sentence = sm.group(0)
                qs = [q for q in all_figures if sm.start() <= q.start < sm.end()]
                if not qs or INSTRUCTION.search(sentence):
                    continue
                spans = _clauses(sentence)
                for q in qs:
                    if any(same_number(q, x) and (q.unit == x.unit or not x.unit) for x in asked):
                        continue  # a figure the question itself states is not the answer
                    rel = q.start - sm.start()
                    idx = next((i for i, (a, b) in enumerate(spans) if a <= rel < b), len(spans) - 1)
                    a, b = spans[idx]
                    clause = sentence[a:b]
                    before = sentence[spans[idx - 1][0] : a] if idx > 0 else ""
                    own = _respective(clause, [x for x in qs if a <= x.start - sm.start() < b], sm.start() + a)
                    local = own.get(q.start) or _subclause(clause, rel - a)
                    metric = metric_score(terms, local, clause, before, sentence, heading)
                    metric *= 0.5 + 0.5 * query.coverage
                    score = metric + self._facets(query, units, q, p, clause, sentence)
                    score += 0.1 * (hit.score / top if top else 0) - 0.01 * rank
                    out.append(Candidate(q, hit, sentence.strip(), clause, score, metric))
        return sorted(out, key=lambda c: -c.score)

    @staticmethod
    def _facets(query: Query, units: tuple[str, ...], q: Quantity, p: Paragraph, clause: str, sentence: str) -> float:
        s = 0.0
        if units:
            s += 0.3 if q.unit in units else -0.5
        if query.years:
            stated = years_in(clause) or years_in(sentence)
            years = set(stated or p.years)
            s += 0.2 if set(query.years) & years else -2.0
        if query.region:
            s += 0.1 if query.region == p.region else -2.0
        elif p.region != "青岛市":
            s -= 0.15  # a question naming no region is about the city
        if query.kind:
            stated_kind = cue_kind(clause)
            if stated_kind:
                s += 0.15 if stated_kind == query.kind else -0.5
            elif p.kind:
                s += 0.1 if p.kind == query.kind else -0.4
        return s

    def fits(self, c: Candidate) -> bool:
        """Close enough to the question to answer it."""
        return c.metric >= self.min_metric and c.score >= self.threshold

    def best(self, query: Query, hits: list[Hit]) -> Candidate | None:
        """The answer, or None to abstain."""
        top = next(iter(self.candidates(query, hits)), None)
        return top if top is not None and self.fits(top) else None

    def judge(self, query: Query, hits: list[Hit], value: Quantity) -> Candidate | None:
        """The best-fitting place where a given figure occurs, if it fits the question."""
        for c in self.candidates(query, hits):
            if same_number(c.quantity, value):
                return c if self.fits(c) else None
        return None
