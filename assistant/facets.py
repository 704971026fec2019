"""Year and plan-vs-result cues, read the same way from headings, paragraphs and questions.

With the place (``places``, ``profile``), these facets decide most numeric questions
over work reports (two years' reports may share a growth target; a district and its
city differ), so the corpus metadata and the question parser must agree on them.
"""
from __future__ import annotations

import re

YEAR = re.compile(r"(?<![\d.])(19[5-9]\d|20\d\d)(?=\s*年|\s*$)")
YEAR_EN = re.compile(r"\b(19[5-9]\d|20\d\d)\b")

PLAN_CUES = (
    "目标", "预期", "计划", "力争", "争取", "争创", "将", "确保", "重点工作", "安排",
    "target", "plan", "goal", "will", "expected", "aim",
)
RESULT_CUES = (
    "已", "截至", "一年来", "累计", "获评", "同比", "提高到", "增至", "过去", "去年", "前三季度", "前11个月",
    "实际", "完成了", "达到了", "实现了",
    "actual", "achieved", "was", "did", "reached", "last year", "in total",
)
_PLAN_SECTION = ("目标", "安排", "计划", "任务", "要求", "预期", "重点工作")
_RESULT_SECTION = ("回顾", "成绩", "过去", "一年来", "成就")


def years_in(text: str) -> tuple[int, ...]:
    """Four-digit years written as years (2023年, 2024 as a heading, 'in 2023')."""
    found = {int(m.group(1)) for m in YEAR.finditer(text)}
    found |= {int(m.group(1)) for m in YEAR_EN.finditer(text) if not re.search(r"[\u4e00-\u9fff]", text)}
    return tuple(sorted(found))


def section_kind(section_path: str) -> str:
    """Plan or result from the headings alone (工作回顾 vs 重点工作安排)."""
    last_hit = ""
    best = -1
    for cues, kind in ((_PLAN_SECTION, "plan"), (_RESULT_SECTION, "result")):
        for cue in cues:
            pos = section_path.rfind(cue)
            if pos > best:
                best, last_hit = pos, kind
    return last_hit


def cue_kind(text: str) -> str:
    """Plan or result from cue words in a sentence; '' when they balance."""
    low = text.lower()
    plan = sum(low.count(c) for c in PLAN_CUES)
    result = sum(low.count(c) for c in RESULT_CUES)
    if plan > result:
        return "plan"
    if result > plan:
        return "result"
    return ""
