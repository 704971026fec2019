"""Questions: normalise them like the corpus, read their year/region/plan cues,
and turn a follow-up ("那2026年呢？") into a standalone question without an LLM.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import QuestionError
from .facets import REGIONS, YEAR_EN, region_in, years_in
from .glossary import english_coverage, expand
from .normalize import normalize_text

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_PLAN_Q = re.compile(r"计划|目标|预期|力争|打算|要求|将要|将|拟|安排|plan|target|goal|expect|aim|will")
_RESULT_Q = re.compile(r"实际|完成了|达到了|实现了|去年|上年|一年来|回顾|actual|achiev|did|was|were|reached|last year")
_FILLER = re.compile(
    r"那么?|那|呢|吗|吧|啊|呀|的|是|多少|怎么样|如何|情况|同样|又|还有|和|与|以及|"
    r"what about|how about|and|in|for|the|then|what|about|of|\?|？|。|，|,|\s"
)
_ORDINAL_EN = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class Query:
    """A question as retrieval and answering see it."""

    raw: str
    text: str
    years: tuple[int, ...] = ()
    region: str = ""
    kind: str = ""
    english: bool = False
    expansions: tuple[str, ...] = field(default=())
    truncated: bool = False
    coverage: float = 1.0  # for English questions: how much of it the thesaurus understood

    @property
    def search_text(self) -> str:
        """The question plus the report's words for its terms."""
        return " ".join((self.text, *self.expansions))


def clean_question(question: str, max_chars: int) -> tuple[str, bool]:
    """Normalise; cut an over-long question to ``max_chars`` (and say so)."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = normalize_text(question.replace("\x00", " ").replace("\n", " "))
    if not text or not re.search(r"[\w\u4e00-\u9fff]", text):
        raise QuestionError("问题是空的 (empty question): 请询问报告中的某个数字，例如 2023年全市生产总值达到多少亿元？")
    truncated = len(text) > max_chars
    return text[:max_chars], truncated


def parse(question: str, max_chars: int = 500) -> Query:
    """Read a standalone question's facets."""
    text, truncated = clean_question(question, max_chars)
    english = not _CJK.search(text) and bool(_LATIN_WORD.search(text))
    years = years_in(text) if not english else tuple(sorted({int(y) for y in YEAR_EN.findall(text)}))
    kind = ""
    if _PLAN_Q.search(text.lower()):
        kind = "plan"
    elif _RESULT_Q.search(text.lower()):
        kind = "result"
    return Query(
        raw=question,
        text=text,
        years=years,
        region=region_in(text),
        kind=kind,
        english=english,
        expansions=tuple(expand(text)),
        truncated=truncated,
        coverage=english_coverage(text) if english else 1.0,
    )


def _topic(text: str) -> str:
    """What is left of a question once facets and filler words are taken out."""
    rest = re.sub(r"(?:19|20)\d\d\s*年?", "", text.lower())
    for words in REGIONS.values():
        for w in words:
            rest = rest.replace(w, "")
    rest = re.sub(r"计划|目标|预期|实际|完成", "", rest)
    return _FILLER.sub("", rest)


_REFERRING = re.compile(r"^(?:那|那么|而|其中|同期|它|这|该)|呢[？?]?$|^(?:and|what about|how about)\b", re.I)


def is_followup(question: str) -> bool:
    """A question that names no metric of its own ("那2026年呢？", "新区呢？")."""
    topic = _topic(normalize_text(question))
    return len(_CJK.findall(topic)) < 2 and len(_LATIN_WORD.findall(topic)) < 2


def leans_on_history(question: str) -> bool:
    """A short question that refers back ("那2026年计划建几所？", "增速呢？")."""
    text = normalize_text(question)
    if is_followup(text) or _REFERRING.search(text):
        return True
    names_context = bool(years_in(text) or YEAR_EN.search(text) or region_in(text))
    return not names_context and _CJK.search(text) is not None and len(_CJK.findall(_topic(text))) <= 5


def rewrite_followup(question: str, history: list[str]) -> str:
    """Carry the previous question's metric over, with this question's year/region/sense."""
    if not history or not leans_on_history(question):
        return question
    previous = rewrite_followup(history[-1], history[:-1])
    new = normalize_text(question)
    result = normalize_text(previous)
    own = _topic(new)
    new_years = years_in(new) or tuple(int(y) for y in _ORDINAL_EN.findall(new))
    if new_years:
        if re.search(r"(?:19|20)\d\d(?=\s*年)", result):
            result = re.sub(r"(?:19|20)\d\d(?=\s*年)", str(new_years[0]), result)
        elif re.search(r"\b(?:19|20)\d\d\b", result):
            result = re.sub(r"\b(?:19|20)\d\d\b", str(new_years[0]), result)
        else:
            result = f"{new_years[0]}年{result}"
    new_region = region_in(new)
    if new_region and new_region != region_in(result):
        old_region = region_in(result)
        replaced = False
        if old_region:
            for w in sorted(REGIONS[old_region], key=len, reverse=True):
                if w in result:
                    result = result.replace(w, new_region, 1)
                    replaced = True
                    break
        if not replaced:
            result = f"{new_region}{result}"
    if _PLAN_Q.search(new) and not _PLAN_Q.search(result):
        result = f"{result}（计划目标）"
    elif _RESULT_Q.search(new) and _PLAN_Q.search(result):
        result = f"{result}（实际完成）"
    if len(_CJK.findall(own)) >= 2 or len(_LATIN_WORD.findall(own)) >= 2:
        # The follow-up asks about something of its own: keep its words, minus the facets.
        rest = re.sub(r"^(?:那么?|而|其中)", "", new)
        rest = re.sub(r"(?:19|20)\d\d\s*年?", "", rest)
        result = f"{result.rstrip('？?')}，{rest}"
    return result
