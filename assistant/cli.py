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


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Drop the index and build it again (e.g. after changing the embedder).")
@click.option("--embedder", help="e5, use or openai:<model> (default: ASSISTANT_EMBEDDER or e5).")
@friendly
def ingest(paths: tuple[Path, ...], rebuild: bool, embedder: str | None) -> None:
    """Clean the documents (default: the bundled seeds/) and index them."""
    from .index import Store

    cfg = Config.from_env(embedder=embedder)
    report = Store(cfg).ingest(list(paths) or [cfg.seeds_dir], progress=sys.stderr.isatty(), rebuild=rebuild)
    for err in report.errors:
        click.echo(f"skipped: {err}", err=True)
    click.echo(report.summary())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--jsonl", is_flag=True, help="One JSON object per paragraph.")
@friendly
def corpus(paths: tuple[Path, ...], jsonl: bool) -> None:
    """Print the cleaned paragraphs the assistant will cite."""
    from .clean import clean_documents
    from .load import load_documents

    cfg = Config.from_env()
    docs, errors = load_documents(list(paths) or [cfg.seeds_dir])
    paragraphs, clean_errors = clean_documents(docs)
    for err in errors + clean_errors:
        click.echo(f"skipped: {err}", err=True)
    for p in paragraphs:
        if jsonl:
            click.echo(json.dumps(p.to_dict(), ensure_ascii=False))
        else:
            years = ",".join(map(str, p.years))
            click.echo(f"[{p.source} #{p.position}] {p.region} {years} {p.kind or '-'} | {p.section or '-'}")
            click.echo(f"  {p.text}\n")
    if not jsonl:
        click.echo(f"{len(paragraphs)} paragraphs from {len(docs)} documents")


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
        click.echo(f"[{c.n}] {c.title} · {c.region} · {c.section or '-'} ({c.source})")
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
@click.option("--gold", "gold_path", type=click.Path(path_type=Path), default=Path("evals/gold.jsonl"),
              show_default=True)
@click.option("--backend", type=BACKENDS, default=None)
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Write the full report as JSON.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write a self-contained HTML report.")
@click.option("--limit", type=int, default=None, help="Only the first N questions.")
@click.option("--gate", "gate_path", type=click.Path(path_type=Path),
              help="Fail (exit 1) if worse than this baseline JSON.")
@friendly
def evaluate_cmd(gold_path: Path, backend: str | None, json_out: Path | None, html_out: Path | None,
                 limit: int | None, gate_path: Path | None) -> None:
    """Run a gold set through the assistant and score it."""
    from tqdm import tqdm

    from . import evaluate
    from .answer import Assistant

    items = evaluate.load_gold(gold_path)[:limit]
    assistant = Assistant(Config.from_env(backend=backend))
    assistant.retriever  # noqa: B018 - build the index outside the timed loop
    with tqdm(total=len(items), desc="eval", unit="q", disable=not sys.stderr.isatty()) as bar:
        report = evaluate.run(assistant, items, backend=backend, progress=bar.update)
    click.echo(evaluate.table(report))
    if json_out:
        evaluate.write_json(report, json_out)
    if html_out:
        Path(html_out).parent.mkdir(parents=True, exist_ok=True)
        Path(html_out).write_text(evaluate.to_html(report), encoding="utf-8")
    if gate_path:
        try:
            baseline = json.loads(Path(gate_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AssistantError(f"cannot read the baseline {gate_path}: {exc}") from None
        problems = evaluate.gate(report, baseline)
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
