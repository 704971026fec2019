"""Chinese/English word tokens for BM25 (jieba), with numbers kept whole.

jieba's default start-up logs to stderr and caches its dictionary in /tmp; both
are redirected (quiet logger, cache in our data directory).
"""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)
_LOCK = threading.Lock()
_READY = False
_KEEP = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}|\d")
# Words too common in these reports to rank by.
STOPWORDS = frozenset(
    "的 了 和 与 及 在 是 为 对 等 个 年 有 多少 什么 哪些 几 吗 呢 吧 啊 其中 以上 左右 我们 "
    "the of and in to a is was what how many much did does for which".split()
)


def init(cache_dir: Path) -> None:
    """Point jieba's dictionary cache at our data directory (once per process)."""
    global _READY
    with _LOCK:
        if not _READY:
            cache_dir.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(cache_dir)
            jieba.initialize()
            _READY = True


def tokens(text: str) -> list[str]:
    """Lower-cased tokens: jieba words (HMM on, so 15760.3 and 5.9% stay whole)."""
    out = []
    for tok in jieba.cut(text.lower(), HMM=True):
        tok = tok.strip()
        if tok and tok not in STOPWORDS and _KEEP.search(tok):
            out.append(tok)
    return out


def place_words(text: str) -> list[str]:
    """Words jieba's dictionary tags as place names ("松山湖", "中关村"): the parts of a place
    that carry no 区/镇 of their own."""
    import jieba.posseg  # noqa: PLC0415 - its tables cost ~0.3 s to load: only when first asked, not at every start-up

    return [w.word for w in jieba.posseg.cut(text) if w.flag == "ns" and 2 <= len(w.word) <= 4]


def words(text: str) -> list[str]:
    """Every jieba word of ``text``, as written (joined, they give the text back)."""
    return list(jieba.cut(text, HMM=True))
