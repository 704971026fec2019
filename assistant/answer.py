"""The public API: ``Assistant.ask`` / ``Assistant.stream`` -> ``Answer`` with cited paragraphs.

question -> standalone question (follow-ups) -> retrieve -> draft (LLM or extractive)
-> checks (citations, figures) -> Answer, falling back to the extractive answer or
an abstention whenever a generated answer fails a check or the LLM is unavailable.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from .config import Config
from .errors import AssistantError, LLMError
from .extract import Extractor
from .ground import check
from .index import Store, needs_ingest
from .llm import ChatModel, Completion, count_tokens
from .query import Query, clean_question, is_followup, leans_on_history, parse, rewrite_followup
from .retrieve import Hit, Retriever

log = logging.getLogger(__name__)

ABSTAIN_ZH = "报告中没有找到能回答这个问题的数字。"
ABSTAIN_EN = "The reports do not say: no figure in them answers this question."
EXTRACTIVE_HINT = "未配置大模型：使用抽取式回答。设置 OPENAI_API_KEY / OPENAI_BASE_URL（或 ASSISTANT_BACKEND=local）可启用大模型。"
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")


@dataclass
class Citation:
    """A cited paragraph and the sentence in it that holds the figure."""

    n: int
    paragraph_id: str
    source: str
    title: str
    region: str
    years: list[int]
    section: str
    text: str
    quote: str
    start: int  # the paragraph's offsets in the source file
    end: int
    quote_start: int  # the quote's offsets in ``text``
    quote_end: int


@dataclass
class Answer:
    """What ``ask`` returns; ``to_dict()`` gives JSON-ready data."""

    question: str
    text: str
    abstained: bool
    citations: list[Citation]
    backend: str
    latency_ms: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    standalone_question: str = ""
    notes: list[str] = field(default_factory=list)
    fallback_reason: str = ""
    retrieved: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _quote(text: str, start: int | None) -> tuple[str, int, int]:
    """The sentence of ``text`` that contains offset ``start`` (or the first one)."""
    for m in _SENTENCE.finditer(text):
        if start is None or m.start() <= start < m.end():
            return m.group(0).strip(), m.start(), m.end()
    return text, 0, len(text)


def _citation(n: int, hit: Hit, at: int | None) -> Citation:
    p = hit.paragraph
    quote, qs, qe = _quote(p.text, at)
    return Citation(n, p.id, p.source, p.title, p.region, list(p.years), p.section, p.text, quote,
                    p.start, p.end, qs, qe)


class Assistant:
    """Answers questions about the indexed reports; safe to share across threads."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config.from_env()
        self.extractor = Extractor()
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()
        self._models: dict[str, ChatModel] = {}

    # --- set-up -------------------------------------------------------------------
    @property
    def retriever(self) -> Retriever:
        """The retriever; builds the index from the bundled documents if it is missing or stale."""
        with self._lock:
            if self._retriever is None:
                store = Store(self.config)
                docs = [Path(self.config.seeds_dir)]
                if needs_ingest(store, docs):
                    log.info("building the index from %s", self.config.seeds_dir)
                    report = store.ingest(docs)
                    log.info("index ready: %s", report.summary())
                self._retriever = Retriever(store)
            return self._retriever

    def backend_name(self, backend: str | None = None) -> str:
        choice = backend or self.config.backend
        if choice == "auto":
            return "openai" if self.config.llm_configured else "extractive"
        return choice

    def _model(self, backend: str) -> ChatModel:
        if backend not in self._models:
            if backend == "local":
                from .local_llm import shared_server

                server = shared_server(self.config)
                self._models[backend] = ChatModel(self.config, server.model_name, server.base_url)
            else:
                self._models[backend] = ChatModel(self.config, self.config.model)
        return self._models[backend]

    def describe_backend(self, backend: str | None = None) -> str:
        name = self.backend_name(backend)
        if name == "openai":
            return f"openai ({self.config.model})"
        return name

    # --- answering ----------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None, backend: str | None = None) -> Answer:
        """Answer one question (``history``: earlier questions of the conversation)."""
        answer = None
        for piece in self.stream(question, history, backend):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, history: list[str] | None = None,
               backend: str | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as they are produced, then the checked ``Answer``.

        The final Answer is authoritative: if a streamed draft fails the checks, the
        Answer carries the fallback text instead.
        """
        t0 = time.monotonic()
        name = self.backend_name(backend)
        limit = self.config.local_question_timeout_s if name == "local" else self.config.question_timeout_s
        deadline = t0 + limit
        text, truncated = clean_question(question, self.config.max_question_chars)
        notes = [f"问题过长，只使用了前 {self.config.max_question_chars} 个字符。"] if truncated else []
        history = [h for h in (history or []) if isinstance(h, str) and h.strip()][-4:]
        standalone = self._standalone(text, history, name, deadline, notes)
        query = parse(standalone, self.config.max_question_chars)
        hits = self.retriever.retrieve(query, k=max(self.config.top_k, 8))
        answer: Answer | None = None
        if name in ("openai", "local"):
            try:
                for piece in self._generate(query, hits, name, deadline, notes):
                    if isinstance(piece, Answer):
                        answer = piece
                    else:
                        yield piece
            except LLMError as exc:
                notes.append(f"大模型不可用（{exc}），已改用抽取式回答。")
            except AssistantError as exc:  # local model missing or failed to start
                notes.append(f"本地模型不可用（{exc}），已改用抽取式回答。")
        if answer is None or answer.fallback_reason:
            reason = answer.fallback_reason if answer else ""
            fallback = self._extractive(query, hits, "extractive" if name == "extractive" else f"{name}→extractive")
            fallback.fallback_reason = reason
            fallback.prompt_tokens = answer.prompt_tokens if answer else 0
            fallback.completion_tokens = answer.completion_tokens if answer else 0
            answer = fallback
        answer.question = question if isinstance(question, str) else str(question)
        answer.standalone_question = standalone
        answer.notes = notes + answer.notes
        answer.retrieved = [h.to_dict() for h in hits[: self.config.top_k]]
        answer.latency_ms = round((time.monotonic() - t0) * 1000, 1)
        if name == "extractive":
            yield answer.text
        yield answer

    def _standalone(self, text: str, history: list[str], backend: str, deadline: float, notes: list[str]) -> str:
        if not history or not leans_on_history(text):
            return text
        if backend in ("openai", "local"):
            try:
                prompt = self._prompt("rewrite.md", history="\n".join(history), question=text)
                done = self._model(backend).complete([{"role": "user", "content": prompt}], deadline)
                rewritten = done.text.strip().splitlines()[0].strip() if done.text.strip() else ""
                if rewritten and not is_followup(rewritten):
                    return clean_question(rewritten, self.config.max_question_chars)[0]
            except AssistantError as exc:
                notes.append(f"追问改写未用大模型（{exc}）。")
        return rewrite_followup(text, history)

    def _prompt(self, name: str, **values: str) -> str:
        template = (Path(self.config.prompts_dir) / name).read_text(encoding="utf-8")
        return template.format(**values)

    def _extractive(self, query: Query, hits: list[Hit], backend: str) -> Answer:
        best = self.extractor.best(query, hits)
        if best is None:
            return Answer("", ABSTAIN_EN if query.english else ABSTAIN_ZH, True, [], backend, 0.0)
        citation = _citation(1, best.hit, best.quantity.start)
        lead = "According to the report" if query.english else "报告原文"
        text = f"{best.shown} [1]\n\n{lead}：“{citation.quote}”"
        return Answer("", text, False, [citation], backend, 0.0)

    def _passages(self, query: Query, hits: list[Hit], backend: str) -> list[tuple[Hit, str]]:
        """Tight passages for the LLM: the sentences around the best-fitting figures."""
        budget = self.config.local_context_tokens if backend == "local" else self.config.context_tokens
        cands = self.extractor.candidates(query, hits)
        chosen: list[Hit] = []
        for c in cands:
            if c.hit not in chosen:
                chosen.append(c.hit)
            if len(chosen) >= 4:
                break
        for h in hits:
            if len(chosen) >= 5:
                break
            if h not in chosen:
                chosen.append(h)
        out: list[tuple[Hit, str]] = []
        used = 0
        for h in chosen:
            sents = [c.sentence for c in cands if c.hit is h][:3] or h.windows[:2] or [h.paragraph.text[:200]]
            seen: list[str] = []
            for s in sents:
                if s not in seen:
                    seen.append(s)
            p = h.paragraph
            years = "、".join(str(y) for y in p.years)
            body = f"（{p.region}，{years}年，{p.section.split(' › ')[-1] if p.section else p.title}）{''.join(seen)}"
            tokens = count_tokens(self.config, body)
            if used + tokens > budget and out:
                break
            used += tokens
            out.append((h, body))
        return out

    def _generate(self, query: Query, hits: list[Hit], backend: str, deadline: float,
                  notes: list[str]) -> Iterator[str | Answer]:
        passages = self._passages(query, hits, backend)
        context = "\n".join(f"[{i}] {body}" for i, (_, body) in enumerate(passages, start=1))
        language = "英文" if query.english else "中文"
        system = self._prompt("system.md", abstain=ABSTAIN_EN if query.english else ABSTAIN_ZH, language=language)
        user = self._prompt("answer.md", context=context, question=query.text)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        model = self._model(backend)
        done = Completion("")
        for piece in model.stream(messages, deadline):
            if isinstance(piece, Completion):
                done = piece
            else:
                yield piece
        prompt_tokens = done.prompt_tokens or count_tokens(self.config, system + user)
        completion_tokens = done.completion_tokens or count_tokens(self.config, done.text)
        kept = [h for h, _ in passages]
        grounding = check(done.text, query, kept, self.extractor)
        label = self.describe_backend(backend)
        if not grounding.ok:
            log.info("generated answer rejected: %s", grounding.reason)
            ans = Answer("", "", False, [], label, 0.0, prompt_tokens, completion_tokens,
                         fallback_reason=f"number check: {grounding.reason}")
            notes.append(f"大模型的回答未通过数字核对（{grounding.reason}），已改用抽取式回答。")
            yield ans
            return
        if grounding.dropped_markers:
            notes.append("已删除指向不存在段落的引用标记：" + "、".join(grounding.dropped_markers))
        if grounding.abstained:
            yield Answer("", ABSTAIN_EN if query.english else ABSTAIN_ZH, True, [], label, 0.0,
                         prompt_tokens, completion_tokens)
            return
        citations = []
        for n in grounding.cited:
            hit = kept[n - 1]
            at = grounding.support.quantity.start if grounding.support and grounding.support.hit is hit else None
            citations.append(_citation(n, hit, at))
        yield Answer("", grounding.text, False, citations, label, 0.0, prompt_tokens, completion_tokens)

