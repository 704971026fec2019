"""Which indicator a metric phrase names: the measure it is of (投资, 增加值, 收入) and the
run of words that qualifies that measure (固定资产, 工业, 战略性新兴产业).

Reports give many indicators of one family in one sentence ("固定资产投资增长3%，其中
工业投资增长6.7%"), and a question about one must not be answered with another:

- another measure: 增加值 is not 投资, 总产值 is not 增加值;
- a sibling: 工业投资 is not 固定资产投资 (the question's qualifier is not in the fact's
  clause, and the fact has a qualifier of its own);
- a narrower one: 规上工业战略性新兴产业增加值 is not 规上工业增加值.

Only words the library's reports use in metric phrases count as qualifiers, so a
paraphrase in everyday words ("老百姓到手的收入") is left to the metric matcher.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from . import tokenize
from .places import gazetteer

OTHER = "另一个指标："  # how every reason of this module begins
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SHARE = re.compile(r"(?:比例|比重|占比)$")
MEASURE = re.compile(r"能耗|水耗|用电量|发电量|用水量|货运量|客运量|周转量|增加值|总产值|生产总值|产值|投资|收入|支出|产量|销售额|交易额|成交额|营业额|营收|利润|余额|吞吐量|里程|"
                     r"覆盖率|普及率|达标率|合格率|优良率|利用率|处理率|回收率")
_INDUSTRY_BASE = re.compile(r"工业增加值|规上工业|规模以上工业")  # an energy intensity per industry's value added
_SHORT_MEASURE = re.compile(r"总产(?![值量出])")
# words that scope or report an indicator without making it another one
_SCOPE = re.compile(r"全市|全省|全区|全县|全国|全社会|全体|全口径|地区|本地|实现|完成|达到|累计|全年|年度|同比|规模以上|规上|"
                    r"限额以上|地方|新增|其中|预计|原定|年初|年末|年底|计划|目标|预期")
# verbs that end a qualifier run ("抓好460个重点项目建设，完成投资": 建设 qualifies nothing)
_VERBS = re.compile(r"总|抓好|推进|推动|安排|实施|开工|建设|建成|新建|已|共|有|为|是|的|和|与|及|等")


def measure(metric: str) -> str:
    """The last measure word of a metric phrase's own part (before 占), or ''."""
    found = MEASURE.findall(metric.partition("占")[0])
    return found[-1] if found else ""


@functools.lru_cache(maxsize=16384)  # a question's own run is asked for beside every candidate fact
def qualifier_run(metric: str, head: str) -> str:
    """The words right before the measure that qualify it: "全国固定资产投资" → 固定资产."""
    own = metric.partition("占")[0]
    at = own.rfind(head)
    before = own[: at if at >= 0 else len(own)]
    for _, start, end in sorted(gazetteer().mentions(before), key=lambda m: -m[1]):
        before = before[:start] + "。" + before[end:]
    before = _SCOPE.sub("。", before)  # "规模以上工业": jieba cuts 规模/以上
    run: list[str] = []
    for tok in reversed(tokenize.words(before)):
        boundary = not _HAN.search(tok) or _SCOPE.fullmatch(tok) or _VERBS.fullmatch(tok)
        if boundary and run:
            break
        if not boundary:
            run.insert(0, tok)
    return "".join(run)


def _same(a: str, b: str) -> bool:
    return a in b or b in a


def mismatch(asked: str, synonyms: Iterable[str], metric: str, clause: str, context: str, vocabulary: str) -> str:
    """Why a fact's metric phrase names another indicator than the question's metric ('' when it
    may be the same one).  ``synonyms``: the glossary's report words for the question's terms;
    ``context``: text that may hold the fact's subject (its paragraph up to the figure, its
    heading); ``vocabulary``: the library's metric phrases."""
    metric, clause = (_SHORT_MEASURE.sub("总产量", x) for x in (metric, clause))  # "粮食总产1142亿斤"
    asked_own, fact_own = asked.partition("占")[0], metric.partition("占")[0]
    share = _SHARE.search(asked_own) if not MEASURE.search(asked_own) else None
    if share:  # "空气质量优良天数比例": a share named by what it is of, like a measure by its qualifiers
        theirs = _SHARE.search(fact_own)
        return _qualifiers(asked, share.group(0), [], metric, theirs.group(0), clause, context, vocabulary) if theirs else ""
    heads = MEASURE.findall(asked_own)
    if any(len(w) >= 4 and fact_own.endswith(w) and not MEASURE.search(w) for w in synonyms):
        return ""  # "利用外商投资" is the glossary's 实际使用外资, which names no measure
    words = [w for w in synonyms if MEASURE.search(w)]
    if not heads and "占" not in asked and words:
        heads = MEASURE.findall(words[0])
    if not heads:
        return ""
    head = heads[-1]
    theirs = head if head in fact_own else measure(metric)  # "固定资产投资完成额" is of 投资 too
    if not theirs and len(_HAN.findall(fact_own)) < 2:
        return ""  # "占全省的": a share whose subject the sentence gave before
    if not theirs:  # "制造业中长期贷款增长" for 投资: no measure of its own, and not the one asked
        asked_it = head in asked_own and head not in metric + clause
        return f"{OTHER}问题问的是“{head}”，这句说的是“{metric}”" if asked_it else ""
    if not _same(head, theirs):
        return f"{OTHER}这是“{theirs}”，问题问的是“{head}”"
    if head in ("能耗", "水耗"):
        # 万元GDP能耗 = 单位地区生产总值能耗: one indicator, however its base is written; 单位工业增加值能耗 is another
        if bool(_INDUSTRY_BASE.search(asked_own)) != bool(_INDUSTRY_BASE.search(fact_own)):
            return f"{OTHER}这是“{metric}”，问题问的是“{asked}”"
        return ""
    return _qualifiers(asked, head, words, metric, theirs, clause, context, vocabulary)


def _qualifiers(asked: str, head: str, words: list[str], metric: str, theirs: str, clause: str, context: str,
                vocabulary: str) -> str:
    """Why a fact of the same measure is another indicator: a sibling or a narrower one ('' when not)."""
    own_run = qualifier_run(asked, head) if head in asked else ""
    runs = [r for r in [own_run] + [qualifier_run(w, measure(w)) for w in words if _same(measure(w), head)] if r]
    own = qualifier_run(metric, theirs)
    if own and own in own_run and own_run not in vocabulary:
        return ""  # "花在民生方面的财政支出": the fact's own qualifier (民生), in the question's everyday words
    if not runs or any(r in metric for r in runs):
        narrower = [own[own.find(r) + len(r):] for r in runs if r in own]  # a kind between it and the measure
        if narrower and min(len(_HAN.findall(x)) for x in narrower) >= 4:
            return f"{OTHER}这是更细的指标“{metric}”，问题问的是“{asked}”"
        return ""
    known = [r for r in runs if r in vocabulary]
    if not known:
        return ""  # the question's own words, not the reports': the metric matcher decides
    if own and not any(_within(own, r) or _within(r, own) for r in known):
        if not any(r in clause for r in known):  # a sibling: 工业投资 for 固定资产投资
            return f"{OTHER}问题问的是“{known[0]}{head}”，这是“{own}{theirs}”"
        return ""
    # the fact's qualifier is part of the question's, or it has none: the rest must be in its context
    extra = [_rest(r, own) for r in known]
    if all(len(x) >= 3 and not all(t in context for t in tokenize.tokens(x)) for x in extra):
        return f"{OTHER}问题问的是“{known[0]}{head}”，这句没有说"
    return ""


def _within(short: str, long: str) -> bool:
    """Are the characters of ``short`` in ``long``, in order (省重点项目 in 省级重点项目)?"""
    it = iter(long)
    return all(ch in it for ch in short)


def _rest(long: str, short: str) -> str:
    """The characters of ``long`` that ``short`` does not account for."""
    out, it = [], iter(short)
    want = next(it, None)
    for ch in long:
        if ch == want:
            want = next(it, None)
        else:
            out.append(ch)
    return "".join(out)
