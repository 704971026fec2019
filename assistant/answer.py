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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .config import Config
from .errors import AssistantError, DocumentError, LLMError, StoreError
from .compose import Composed, Composer
from .extract import Extractor, Pick
from .facts import SENTENCE as _SENTENCE
from .ground import MARKER, check
from .selection import candidate_lines, parse_selection, picks_for, prompt_lines
from .structured import ReplyChecker, parse_reply, streamed_texts
from .index import INDEX_VERSION
from .library import AddReport, DocInfo, Library
from .llm import ChatModel, Completion, count_tokens
from .numbers import figures
from .query import Query, clean_question, is_followup, leans_on_history, rewrite_followup
from .retrieve import Hit, Retriever

log = logging.getLogger(__name__)

_LLM_MARKERS = re.compile(r"\s*" + MARKER.pattern)  # the LLM's own markers in a claim's text
ABSTAIN_ZH = "报告中没有找到能回答这个问题的数字。"
ABSTAIN_EN = "The reports do not say: no figure in them answers this question."
EXTRACTIVE_HINT = "未配置大模型：使用抽取式回答。设置 OPENAI_API_KEY / OPENAI_BASE_URL（或 ASSISTANT_BACKEND=local）可启用大模型。"


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
    page: int | None = None  # the page of a paged format (PDF), else None


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
    """A citation of a paragraph in the document's own characters (the quote is the sentence
    holding offset ``at``; converted and original text are aligned character for character)."""
    p = hit.paragraph
    _, qs, qe = _quote(p.text, at)
    shown = p.display
    return Citation(n, p.id, p.source, p.title, p.region, list(p.years), p.section, shown, shown[qs:qe].strip(),
                    p.start, p.end, qs, qe, p.page)


def _single_answer(query: Query, picks: list[Pick], backend: str) -> Answer:
    """The answer of one fact (or one per place), with the sentence it comes from quoted."""
    if not picks:
        return Answer("", ABSTAIN_EN if query.english else ABSTAIN_ZH, True, [], backend, 0.0)
    citations = [_citation(n, pick.hit, pick.fact.start) for n, pick in enumerate(picks, start=1)]
    lead = "According to the report" if query.english else "报告原文"
    if len(picks) == 1:
        f = picks[0].fact
        when = f"，{f.year}年" if f.year else ""
        text = f"{f.written} [1]（{f.place}{when}）\n\n{lead}：“{citations[0].quote}”"
    else:
        head = "；".join(f"{p.fact.place}：{p.fact.written} [{c.n}]" for p, c in zip(picks, citations))
        quotes = "\n".join(f"[{c.n}] “{c.quote}”" for c in citations)
        text = f"{head}\n\n{lead}：\n{quotes}"
    return Answer("", text, False, citations, backend, 0.0)


def _composed_answer(query: Query, composed: Composed, backend: str) -> Answer:
    """The answer of a whole question (``compose``), each marker's citation quoting its sentence."""
    citations = [_citation(n, hit, at) for n, (hit, at) in enumerate(composed.cites, start=1)]
    text = composed.text or (ABSTAIN_EN if query.english else ABSTAIN_ZH)
    return Answer("", text, composed.abstained, citations, backend, 0.0, notes=composed.notes)


class Assistant:
    """Answers questions about the indexed reports; safe to share across threads."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config.from_env()
        self.extractor = Extractor()
        self.composer = Composer(self.extractor)
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()
        self._library: Library | None = None
        self._stamp: tuple | None = None  # the library record the retriever was loaded from
        self._checked = 0.0
        self._switch = threading.Lock()  # held while loading a new snapshot (or changing the library)
        self._models: dict[str, ChatModel] = {}

    # --- set-up -------------------------------------------------------------------
    @property
    def library(self) -> Library:
        """The documents answered from (``library.Library``); it holds the index store too."""
        with self._lock:
            if self._library is None:
                self._library = Library(self.config)
            return self._library

    @property
    def retriever(self) -> Retriever:
        """The retriever over the library's committed record.

        The first use builds the library from the bundled reports when there is no record
        yet, and repairs an index that is missing, stale or short of paragraphs, always from
        the library's own copies.  Later uses check the record's stamp (cheap) and switch to
        a record committed since, by this or another process; while one thread loads the new
        snapshot, the others keep answering from the loaded one.
        """
        current = self._retriever
        if current is not None:
            if not self._changed() or not self._switch.acquire(blocking=False):
                return current
            try:
                self._open(wait_s=0)
            except StoreError as exc:  # e.g. a writer holds the lock while repairing: retry next time
                log.warning("keeping the loaded library: %s", exc)
            finally:
                self._switch.release()
            return self._retriever or current
        with self._switch:
            if self._retriever is None:
                self._open()
            assert self._retriever is not None
            return self._retriever

    def _changed(self) -> bool:
        """Has the record changed since the snapshot was loaded? (Once a second against a server.)"""
        now = time.monotonic()
        if self.config.chroma_host and now - self._checked < 1.0:
            return False
        self._checked = now
        try:
            return self.library.stamp() != self._stamp
        except Exception as exc:  # noqa: BLE001 - a server hiccup must not fail the question
            log.warning("cannot check the library for changes: %s", exc)
            return False

    def _open(self, wait_s: float = 600.0) -> None:
        """Load (or reload) the retriever from the committed record; the caller holds ``_switch``."""
        lib = self.library
        record, stamp = lib.read_with_stamp()
        if record is None:
            log.info("first use: building the library from %s", self.config.seeds_dir)
            lib.ensure()
            record, stamp = lib.read_with_stamp()
        assert record is not None
        if record.index_version != INDEX_VERSION or not lib.store.exists():
            log.info("the index is missing or stale: rebuilding it from the library")
            lib.repair(wait_s=wait_s)
            record, stamp = lib.read_with_stamp()
            assert record is not None
        if not record.entries:
            with self._lock:  # nothing to answer from: drop the old snapshot too
                self._retriever, self._stamp = None, stamp
            raise StoreError("the library is empty: add reports with `assistant add PATH`")
        retriever = Retriever(lib.store.view(record.pids))
        missing = record.pids - set(retriever.paragraphs)
        if missing:
            log.info("the index lacks %d paragraphs of the library: repairing it", len(missing))
            lib.repair(wait_s=wait_s)
            record, stamp = lib.read_with_stamp()
            assert record is not None
            retriever = Retriever(lib.store.view(record.pids))
        with self._lock:
            self._retriever, self._stamp = retriever, stamp

    def _after_change(self) -> None:
        """Switch to the record just committed (only if a snapshot is in use; the caller holds ``_switch``)."""
        if self._retriever is None:
            return
        try:
            self._open(wait_s=0)
        except StoreError as exc:
            log.warning("the next question will load the new library: %s", exc)

    # --- the library ----------------------------------------------------------------
    def documents(self) -> list[DocInfo]:
        """The library's documents (the first use builds it from the bundled reports)."""
        return self.library.documents()

    def add_documents(self, paths: Sequence[Path], place: str | None = None, year: int | None = None,
                      progress: Callable[[str, float], None] | None = None) -> AddReport:
        """Add files (an upload) to the library; questions asked meanwhile are answered from the
        library as it was, and the new documents are used once they are wholly indexed.

        Limits: ``max_upload_files`` files, ``max_upload_mb`` each, ``upload_types``."""
        paths = [Path(p) for p in paths]
        count = sum(len([f for f in p.iterdir() if f.is_file()]) if p.is_dir() else 1 for p in paths)
        if count > self.config.max_upload_files:
            raise DocumentError(f"{count} files at once is more than the limit of {self.config.max_upload_files} "
                                "(ASSISTANT_MAX_UPLOAD_FILES); add them in smaller groups")
        with self._switch:
            report = self.library.add(paths, place=place, year=year, progress=progress)
            self._after_change()
        return report

    def remove_document(self, name: str) -> None:
        """Remove a document by its library name (``DocumentError`` naming the documents if unknown)."""
        with self._switch:
            self.library.remove(name)
            self._after_change()

    def correct_document(self, name: str, place: str | None = None, year: int | None = None) -> DocInfo:
        """Store a place and/or year for a document (used on every rebuild) and re-index it."""
        with self._switch:
            info = self.library.correct(name, place=place, year=year)
            self._after_change()
        return info

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
        retriever = self.retriever  # one library snapshot for the whole question
        standalone = self._standalone(text, history, name, deadline, notes, retriever)
        query = retriever.parse(standalone, self.config.max_question_chars)
        hits = retriever.retrieve(query, k=max(self.config.top_k, 8))
        answer: Answer | None = None
        if name in ("openai", "local"):
            try:
                for piece in self._generate(query, hits, name, deadline, notes, retriever):
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
            fallback = self._extractive(query, hits, "extractive" if name == "extractive" else f"{name}→extractive",
                                        retriever)
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

    def _standalone(self, text: str, history: list[str], backend: str, deadline: float, notes: list[str],
                    retriever: Retriever) -> str:
        if not history or not leans_on_history(text, retriever.book):
            return text
        by_rule = rewrite_followup(text, history, retriever.book)
        if backend == "local" and by_rule != text and not is_followup(by_rule, retriever.book):
            return by_rule  # a small local model's rewrite costs a second generation (~7 s on 2 cores)
        if backend in ("openai", "local"):
            try:
                prompt = self._prompt("rewrite.md", history="\n".join(history), question=text)
                done = self._model(backend).complete([{"role": "user", "content": prompt}], deadline, max_tokens=64)
                rewritten = done.text.strip().splitlines()[0].strip() if done.text.strip() else ""
                if rewritten and not is_followup(rewritten, retriever.book):
                    return clean_question(rewritten, self.config.max_question_chars)[0]
            except AssistantError as exc:
                notes.append(f"追问改写未用大模型（{exc}）。")
        return by_rule

    def _prompt(self, name: str, **values: str) -> str:
        template = (Path(self.config.prompts_dir) / name).read_text(encoding="utf-8")
        return template.format(**values)

    def _extractive(self, query: Query, hits: list[Hit], backend: str, retriever: Retriever) -> Answer:
        composed = self.composer.answer(retriever, query, hits)
        if composed is not None and not (composed.abstained and query.form == "list"):
            return _composed_answer(query, composed, backend)
        return _single_answer(query, self.extractor.picks(retriever, query, hits), backend)

    def _select(self, query: Query, hits: list[Hit], deadline: float, notes: list[str],
                retriever: Retriever) -> Answer:
        """The local model picks the lines that answer (``selection``); the answer is built from them."""
        label = self.describe_backend("local")
        if query.form in ("list", "describe"):
            # measured: the model's choice of sentences lists and describes worse than the
            # composer's own (gold.jsonl whole questions 0.85 against 0.96), so it is not asked
            notes.append("列表和描述类问题直接由报告原文组成，未调用本地模型。")
            return Answer("", "", False, [], label, 0.0, fallback_reason="lists and descriptions are composed from the passages")
        candidates = candidate_lines(retriever, self.extractor, query, hits)
        lines = candidates.lines
        if not lines:
            return Answer("", ABSTAIN_EN if query.english else ABSTAIN_ZH, True, [], label, 0.0)
        # a part with one candidate line has nothing to choose: the model is asked only about
        # the others (and not at all when none is left)
        settled = candidates.settled()
        open_lines = [x for x in lines if x.n not in settled]
        chosen: list[int] | None = list(settled)
        tokens = (0, 0)
        if open_lines:
            system = self._prompt("system_select.md")
            shown = [replace(x, n=k + 1) for k, x in enumerate(open_lines)]
            user = self._prompt("answer_select.md", context=prompt_lines(shown),
                                question=query.text)
            messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
            done = self._model("local").complete(messages, deadline, json_reply=True, max_tokens=24)
            tokens = (done.prompt_tokens or count_tokens(self.config, system + user), done.completion_tokens)
            picked = parse_selection(done.text, len(shown))
            chosen = None if picked is None else sorted(settled + [open_lines[k - 1].n for k in picked])
        else:
            notes.append("问题的每一部分只有一个候选句子，未调用本地模型；每个数字仍经核对。")
        if chosen is None:
            notes.append("本地模型的回复不是候选编号，已改用抽取式回答。")
            return Answer("", "", False, [], label, 0.0, *tokens, fallback_reason="the local model's reply is not a selection")
        if not chosen:
            return Answer("", ABSTAIN_EN if query.english else ABSTAIN_ZH, True, [], label, 0.0, *tokens)
        if query.form in ("multi", "compare"):
            parts = picks_for(retriever, query, candidates, chosen)
            if not all(picks for _, picks in parts):
                notes.append("本地模型没有为问题的每一部分选出通过核对的句子，已改用抽取式回答。")
                return Answer("", "", False, [], label, 0.0, *tokens, fallback_reason="the chosen lines miss a part")
            composed = self.composer.multi(query, parts) if query.form == "multi" else self.composer.compare(query, parts)
        else:
            picks = picks_for(retriever, query, candidates, chosen)[0][1]
            if not picks:
                notes.append("本地模型选中的句子不是核对排在首位的答案，已改用抽取式回答。")
                return Answer("", "", False, [], label, 0.0, *tokens,
                              fallback_reason="number check: the chosen line is not the judge's best")
            answer = _single_answer(query, picks, label)
            answer.prompt_tokens, answer.completion_tokens = tokens
            return answer
        if composed.abstained and not composed.cites:
            notes.append("本地模型选中的句子未通过核对，已改用抽取式回答。")
            return Answer("", "", False, [], label, 0.0, *tokens, fallback_reason="number check: the chosen lines fail")
        answer = _composed_answer(query, composed, label)
        answer.prompt_tokens, answer.completion_tokens = tokens
        return answer

    def _passages(self, query: Query, hits: list[Hit], backend: str, retriever: Retriever) -> list[tuple[Hit, str]]:
        """Tight passages for the LLM: the sentences of the best-fitting facts, paragraph by paragraph."""
        budget = self.config.local_context_tokens if backend == "local" else self.config.context_tokens
        verdicts = [] if query.form in ("list", "describe") else self.extractor.candidates(retriever, query, hits)
        if query.form in ("multi", "compare"):  # each part's best facts first, so every part has its passage
            for sub in reversed(retriever.parts(query)):
                verdicts = [v for v in self.extractor.candidates(retriever, sub, retriever.retrieve(sub, k=8))
                            if v.ok][:2] + verdicts
        by_id = {h.paragraph.id: h for h in hits}
        chosen: list[Hit] = []
        for v in verdicts:
            hit = by_id.get(v.fact.paragraph_id) or Hit(v.paragraph, 0.0)
            by_id[v.fact.paragraph_id] = hit
            if hit not in chosen:
                chosen.append(hit)
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
            sents = [v.fact.sentence for v in verdicts if v.fact.paragraph_id == h.paragraph.id][:3]
            if query.form in ("list", "describe") and not sents:
                sents = [h.paragraph.text[:400]]
            sents = sents or h.windows[:2] or [h.paragraph.text[:200]]
            seen: list[str] = []
            for s in sents:
                if s not in seen:
                    seen.append(s)
            p = h.paragraph
            when = f"{p.year}年" if p.year else ""
            sense = {"plan": "，计划目标", "result": "，实际完成"}.get(p.kind, "")
            body = f"（{p.region}，{when}{sense}，{p.section.split(' › ')[-1] if p.section else p.title}）{''.join(seen)}"
            tokens = count_tokens(self.config, body)
            if used + tokens > budget and out:
                break
            used += tokens
            out.append((h, body))
        return out

    def _generate(self, query: Query, hits: list[Hit], backend: str, deadline: float,
                  notes: list[str], retriever: Retriever) -> Iterator[str | Answer]:
        if backend == "local" and self.config.local_reply_format == "select":
            yield self._select(query, hits, deadline, notes, retriever)
            return
        passages = self._passages(query, hits, backend, retriever)
        context = "\n".join(f"[{i}] {body}" for i, (_, body) in enumerate(passages, start=1))
        language = "英文" if query.english else "中文"
        structured = (self.config.local_reply_format if backend == "local" else self.config.reply_format) == "json"
        names = ("system_structured.md", "answer_structured.md") if structured else ("system.md", "answer.md")
        system = self._prompt(names[0], abstain=ABSTAIN_EN if query.english else ABSTAIN_ZH, language=language)
        user = self._prompt(names[1], context=context, question=query.text)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        model = self._model(backend)
        done = Completion("")
        buffer, shown = "", 0
        for piece in model.stream(messages, deadline, json_reply=structured):
            if isinstance(piece, Completion):
                done = piece
                continue
            buffer += piece
            if not buffer.lstrip().startswith(("{", "`")):
                yield piece  # prose
                continue
            texts = streamed_texts(buffer)  # a JSON reply streams claim by claim
            for t in texts[shown:]:
                yield ("\n" if shown else "") + t
            shown = len(texts)
        prompt_tokens = done.prompt_tokens or count_tokens(self.config, system + user)
        completion_tokens = done.completion_tokens or count_tokens(self.config, done.text)
        kept = [h for h, _ in passages]
        label = self.describe_backend(backend)
        claims = parse_reply(done.text)
        if claims is not None:
            yield self._checked_reply(claims, query, kept, retriever, label, notes, prompt_tokens, completion_tokens)
            return
        grounding = check(done.text, query, kept, retriever)
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
            at = next((v.fact.start for v in grounding.supports if v.fact.paragraph_id == hit.paragraph.id), None)
            citations.append(_citation(n, hit, at))
        yield Answer("", grounding.text, False, citations, label, 0.0, prompt_tokens, completion_tokens)

    def _checked_reply(self, claims: list[dict], query: Query, kept: list[Hit], retriever: Retriever, label: str,
                       notes: list[str], prompt_tokens: int, completion_tokens: int) -> Answer:
        """The answer from a structured reply: its claims that pass the checks, each cited."""
        checked = ReplyChecker(retriever, query, kept).check(claims)
        if checked.dropped:
            notes.append("已删除未通过核对的内容：" + "；".join(checked.dropped))
        if not checked.ok:
            reason = checked.dropped[0] if checked.dropped else "no claim"
            notes.append(f"大模型的回答未通过核对（{reason}），已改用抽取式回答。")
            return Answer("", "", False, [], label, 0.0, prompt_tokens, completion_tokens,
                          fallback_reason=f"number check: {reason}")
        if checked.abstained:
            return Answer("", ABSTAIN_EN if query.english else ABSTAIN_ZH, True, [], label, 0.0,
                          prompt_tokens, completion_tokens)
        count = sum(len(figures(c.text)) for c in checked.claims)
        notes.append(f"核对：{len(checked.claims)}条内容、{count}个数字均出自所引段落的原文，地区、年份和指标与问题一致"
                     + (f"；另有{len(checked.dropped)}条未通过，已删除。" if checked.dropped else "。"))
        order: list[int] = []
        for c in checked.claims:
            if c.passage not in order:
                order.append(c.passage)
        number = {p: i for i, p in enumerate(order, start=1)}
        lines = [f"{_LLM_MARKERS.sub('', c.text).rstrip()} [{number[c.passage]}]" for c in checked.claims]
        if checked.arithmetic:
            lines.append("计算：" + "；".join(checked.arithmetic) if not query.english
                         else "Computed: " + "; ".join(checked.arithmetic))
        at = {}
        for c in checked.claims:
            at.setdefault(c.passage, c.at)
        citations = [_citation(number[p], kept[p - 1], at[p]) for p in order]
        return Answer("", "\n".join(lines), False, citations, label, 0.0, prompt_tokens, completion_tokens)
