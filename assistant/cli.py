"""The ``assistant`` command: one function per subcommand.

Every AssistantError is printed as one line on stderr with a non-zero exit; no
traceback reaches the user.
"""
from __future__ import annotations

import functools
import json
import logging
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .config import Config
from .errors import AssistantError



def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors (and Ctrl-C) into one line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AssistantError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.version_option(package_name="report-assistant")
def cli(verbose: bool) -> None:
    """Ask questions about government work reports; every figure is cited and checked."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def _progress() -> Callable[[str, float], None] | None:
    """A one-line progress display on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, fraction: float) -> None:
        click.echo(f"\r\033[K{fraction * 100:3.0f}% {stage}", err=True, nl=fraction >= 1.0)

    return show


def _print_add(report: Any, cfg: Config) -> None:
    for line in report.lines():
        click.echo(line, err=line.startswith("skipped: "))
    click.echo(report.summary())
    from .answer import Assistant

    Assistant(cfg).retriever  # noqa: B018 - embed the new facts' metric phrases now, not at the first question


PLACE = click.option("--place", help="The place the report is about (stored with the document; default: read "
                                     "from the document).")
YEAR = click.option("--year", type=int, help="The year of the report (stored with the document; default: read "
                                             "from the document).")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Drop the index and build it again from the library's copies "
                                              "(e.g. after changing the embedder).")
@PLACE
@YEAR
@click.option("--embedder", help="e5, use or openai:<model> (default: ASSISTANT_EMBEDDER or e5).")
@friendly
def ingest(paths: tuple[Path, ...], rebuild: bool, place: str | None, year: int | None,
           embedder: str | None) -> None:
    """Add files or folders to the library (default: the bundled reports) and index them.

    Nothing is removed: use `assistant remove NAME` for that."""
    from .library import Library

    cfg = Config.from_env(embedder=embedder)
    library = Library(cfg)
    if rebuild and not paths:
        report = library.rebuild(progress=_progress())
        click.echo(f"rebuilt from the library's copies: {report.summary()}")
        return
    _print_add(library.add(list(paths) or [cfg.seeds_dir], place=place, year=year, progress=_progress(),
                           rebuild=rebuild), cfg)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@PLACE
@YEAR
@friendly
def add(paths: tuple[Path, ...], place: str | None, year: int | None) -> None:
    """Add report files or folders to the library (an unchanged file is left as it is)."""
    from .library import Library

    cfg = Config.from_env()
    _print_add(Library(cfg).add(list(paths), place=place, year=year, progress=_progress()), cfg)


@cli.command()
@click.argument("name")
@friendly
def remove(name: str) -> None:
    """Remove a document from the library by its name (as `assistant docs` lists it)."""
    from .library import Library

    report = Library(Config.from_env()).remove(name, progress=_progress())
    click.echo(f"removed: {name} ({report.removed} paragraphs)")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON array of the documents.")
@friendly
def docs(as_json: bool) -> None:
    """List the documents of the library."""
    from dataclasses import asdict

    from .library import Library

    infos = Library(Config.from_env()).documents()
    if as_json:
        click.echo(json.dumps([asdict(d) for d in infos], ensure_ascii=False, indent=1))
        return
    head = ["name", "place", "year", "kind", "paragraphs", "figures", "added", "sha256"]
    rows = [[d.name, (d.place or "-") + ("*" if d.place_override else ""),
             (str(d.year) if d.year else "-") + ("*" if d.year_override else ""), d.kind or "-",
             str(d.paragraphs), str(d.figures), d.added[:10], d.sha256[:12]] for d in infos]
    widths = [max(_width(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        click.echo("  ".join(_pad(c, w, right=i in (4, 5)) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    overrides = any(d.place_override or d.year_override for d in infos)
    click.echo(f"{len(infos)} documents, {sum(d.paragraphs for d in infos)} paragraphs"
               + ("; * set with --place/--year" if overrides else ""))


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--jsonl", is_flag=True, help="One JSON object per paragraph.")
@friendly
def corpus(paths: tuple[Path, ...], jsonl: bool) -> None:
    """Print the cleaned paragraphs the assistant cites (default: the library's; with PATHs: those files')."""
    from .clean import clean_documents
    from .library import Library
    from .load import load_documents

    cfg = Config.from_env()
    if paths:
        docs, errors = load_documents(list(paths))
        paragraphs, clean_errors = clean_documents(docs)
        count = len(docs)
    else:
        paragraphs, errors = Library(cfg).paragraphs()
        clean_errors = []
        count = len({p.source for p in paragraphs})
    for err in errors + clean_errors:
        click.echo(f"skipped: {err}", err=True)
    for p in paragraphs:
        if jsonl:
            click.echo(json.dumps(p.to_dict(), ensure_ascii=False))
        else:
            years = ",".join(map(str, p.years))
            report = f"{p.doc_year}年{ {'report': '报告', 'summary': '摘要', 'news': '报道'}.get(p.doc_kind, '')}" \
                if p.doc_year else "年份不明"
            click.echo(f"[{p.source} #{p.position}] {p.region or '地区不明'} · {report} | {years} {p.kind or '-'}"
                       f" | {p.section or '-'}")
            click.echo(f"  {p.text}\n")
    if not jsonl:
        click.echo(f"{len(paragraphs)} paragraphs from {count} documents")


FACT_COLUMNS = ("place", "year", "kind", "period", "metric", "written", "value", "scale", "unit", "qualifier",
                "source", "paragraph_id", "start", "end", "clause")


@cli.command()
@click.option("--place", help="Only facts of this place (济南市, 济南, 全国 …).")
@click.option("--year", type=int, help="Only facts about this year.")
@click.option("--metric", help="Only facts whose metric phrase (or clause) contains this text.")
@click.option("--jsonl", is_flag=True, help="One JSON object per fact.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@friendly
def facts(place: str | None, year: int | None, metric: str | None, jsonl: bool, as_csv: bool) -> None:
    """List the figures of the library as facts: metric, value, unit, place, year, plan/result."""
    import csv as csvlib

    from .facts import extract_all
    from .library import Library
    from .places import gazetteer

    paragraphs, errors = Library(Config.from_env()).paragraphs()
    for err in errors:
        click.echo(f"skipped: {err}", err=True)
    wanted = place and (gazetteer().lookup(place) or None)
    names = {place, wanted.name} if wanted else {place}
    rows = [f for f in extract_all(paragraphs)
            if (not place or f.place in names or f.place.startswith(place))
            and (not year or f.year == year)
            and (not metric or metric in f.metric or metric in f.clause)]
    if jsonl:
        for f in rows:
            click.echo(json.dumps(f.to_dict(), ensure_ascii=False))
        return
    if as_csv:
        writer = csvlib.writer(sys.stdout)
        writer.writerow(FACT_COLUMNS)
        for f in rows:
            d = f.to_dict()
            writer.writerow([d[c] for c in FACT_COLUMNS])
        return
    header = ("地区", "年份", "计划/实际", "时段", "指标", "数字", "来源")
    table = [(f.place, str(f.year or ""), {"plan": "计划", "result": "实际"}.get(f.kind, "-"), f.period or "全年",
              f.metric or "-", f.written, f.source) for f in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in table]) for i, h in enumerate(header)]
    click.echo("  ".join(_pad(h, w) for h, w in zip(header, widths)))
    for r in table:
        click.echo("  ".join(_pad(c, w, right=i == 5) for i, (c, w) in enumerate(zip(r, widths))))
    click.echo(f"{len(rows)} facts")


@cli.command()
@click.argument("question")
@click.option("-k", "--top-k", type=int, default=None, help="How many paragraphs (default 5).")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "bm25"]), default="hybrid")
@click.option("--json", "as_json", is_flag=True)
@friendly
def search(question: str, top_k: int | None, mode: str, as_json: bool) -> None:
    """Show the paragraphs retrieved for a question, with scores."""
    from .answer import Assistant

    assistant = Assistant(Config.from_env(top_k=top_k))
    hits = assistant.retriever.retrieve(question, k=assistant.config.top_k, mode=mode)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))
        return
    for i, h in enumerate(hits, start=1):
        p = h.paragraph
        found = ", ".join(f"{k}#{v}" for k, v in h.retrievers.items())
        click.echo(f"{i}. {h.score:.3f} ({found}) {p.source} {p.region} {','.join(map(str, p.years))} | {p.section}")
        click.echo(f"   {p.text[:200]}{'…' if len(p.text) > 200 else ''}")


BACKENDS = click.Choice(["auto", "extractive", "openai", "local"])


@cli.command()
@click.argument("question")
@click.option("--backend", type=BACKENDS, default=None, help="Default: ASSISTANT_BACKEND or auto.")
@click.option("--history", multiple=True, help="An earlier question of the conversation (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print Answer.to_dict() as JSON.")
@friendly
def ask(question: str, backend: str | None, history: tuple[str, ...], as_json: bool) -> None:
    """Answer one question with numbered citations."""
    from .answer import Assistant

    answer = Assistant(Config.from_env(backend=backend)).ask(question, list(history))
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(answer.text)
    for note in answer.notes:
        click.echo(f"note: {note}")
    for c in answer.citations:
        page = f" · 第{c.page}页" if c.page else ""
        click.echo(f"[{c.n}] {c.title} · {c.region} · {c.section or '-'}{page} ({c.source})")
        click.echo(f"    “{c.quote}”")
    click.echo(f"({answer.backend}, {answer.latency_ms:.0f} ms)")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--no-auth", is_flag=True, help="Allow a non-local bind without a password (not recommended).")
@click.option("--backend", type=BACKENDS, default=None)
@friendly
def chat(host: str, port: int, no_auth: bool, backend: str | None) -> None:
    """Open the chat UI (building the index first if needed)."""
    from .answer import Assistant
    from .ui import launch

    assistant = Assistant(Config.from_env(backend=backend))
    click.echo("preparing the index…", err=True)
    assistant.retriever  # noqa: B018 - build before the first visitor waits for it
    launch(assistant, host=host, port=port, auth=assistant.config.ui_auth, no_auth=no_auth)


@cli.command(name="eval")
@click.option("--gold", "gold_paths", type=click.Path(path_type=Path), multiple=True,
              help="A gold set (repeatable; default: evals/gold.jsonl, gold_other_places, gold_bundled_2, gold_more_places "
                   "and gold_blind_bundled_4…16).")
@click.option("--docs", "docs_dir", type=click.Path(path_type=Path),
              help="Reports to index beside the bundled ones for these gold sets (default: evals/NAME/ for "
                   "evals/gold_NAME.jsonl when that folder exists).")
@click.option("--backend", type=BACKENDS, default=None)
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Write the full report as JSON.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write a self-contained HTML report.")
@click.option("--limit", type=int, default=None, help="Only the first N questions of each set.")
@click.option("--gate", "gate_path", type=click.Path(path_type=Path),
              help="Fail (exit 1) if worse than this baseline JSON.")
@friendly
def evaluate_cmd(gold_paths: tuple[Path, ...], docs_dir: Path | None, backend: str | None, json_out: Path | None,
                 html_out: Path | None, limit: int | None, gate_path: Path | None) -> None:
    """Run gold sets through the assistant and score them (each set beside the documents it needs)."""
    from tqdm import tqdm

    from . import evaluate

    cfg = Config.from_env(backend=backend)
    paths = list(gold_paths) or [p for p in evaluate.DEFAULT_GOLD if p.exists()]
    reports: dict[str, dict] = {}
    for path in paths:
        items = evaluate.load_gold(path)[:limit]
        assistant = evaluate.assistant_for(cfg, path, docs_dir)
        assistant.retriever  # noqa: B018 - build the index outside the timed loop
        with tqdm(total=len(items), desc=f"eval {path.name}", unit="q", disable=not sys.stderr.isatty()) as bar:
            reports[path.name] = evaluate.run(assistant, items, backend=backend, progress=bar.update)
        click.echo(f"== {path}")
        click.echo(evaluate.table(reports[path.name]))
        click.echo("")
    single = len(reports) == 1
    if json_out:
        evaluate.write_json(next(iter(reports.values())) if single else reports, json_out)
    if html_out:
        Path(html_out).parent.mkdir(parents=True, exist_ok=True)
        Path(html_out).write_text("".join(evaluate.to_html(r, name) for name, r in reports.items()), encoding="utf-8")
    if gate_path:
        try:
            baseline = json.loads(Path(gate_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AssistantError(f"cannot read the baseline {gate_path}: {exc}") from None
        problems = [f"{name}: {p}" for name, r in reports.items() for p in evaluate.gate(r, baseline, name)]
        if problems:
            for p in problems:
                click.echo(f"REGRESSION: {p}", err=True)
            sys.exit(1)
        click.echo("gate: no regression against " + str(gate_path))


@cli.command()
@click.option("--quick", is_flag=True, help="Skip the slow parts (scale ×100, UI).")
@friendly
def bench(quick: bool) -> None:
    """Run the benchmarks (speed, memory, scale, baselines); see benchmarks/bench.py."""
    import runpy

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
    if not script.exists():
        raise AssistantError(f"{script} is missing: run from a source checkout")
    sys.argv = [str(script)] + (["--quick"] if quick else [])
    runpy.run_path(str(script), run_name="__main__")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
