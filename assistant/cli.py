"""Command line: a thin layer over the library (`python -m assistant --help`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.settings import Settings
from documents.corpus import load_corpus
from documents.errors import AssistantError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Tongbao QA: ask questions of government progress notices."
)
_state: dict[str, Path | None] = {"documents": None}

DocumentsOption = Annotated[
    Path | None,
    typer.Option("--documents", help="folder of notices: .txt .md .html .docx .pdf .xlsx (default: the bundled ones)"),
]


def _settings(documents: Path | None = None, **overrides: object) -> Settings:
    """Settings with --documents taken from the subcommand when given there, else from before it."""
    return Settings.from_env(documents=documents or _state["documents"], **overrides)


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.callback()
def main(documents: DocumentsOption = None) -> None:
    _state["documents"] = documents


@app.command()
def outline(
    doc: Annotated[str | None, typer.Option(help="only this notice id")] = None,
    brief: bool = False,
    documents: DocumentsOption = None,
) -> None:
    """Print each notice's profile and outline: sections, paragraph ids and breadcrumbs."""
    from assistant.outline import render_outline

    try:
        settings = _settings(documents)
        corpus = load_corpus(
            settings.documents, settings.max_notice_bytes, settings.conversions_dir, settings.read_limits
        )
    except AssistantError as exc:
        _fail(str(exc))
    for problem in corpus.problems:
        typer.secho(f"skipped: {problem}", fg=typer.colors.YELLOW, err=True)
    for notice in corpus.notices:
        if doc is None or notice.doc_id == doc:
            typer.echo(render_outline(notice, show_paragraphs=not brief))
            typer.echo("")


@app.command()
def facts(
    doc: Annotated[str | None, typer.Option(help="only this notice id")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    documents: DocumentsOption = None,
) -> None:
    """Print the fact table: every figure with its subject, kind, role, period and scope."""
    from assistant.facts_view import render_facts
    from documents.library import Library

    try:
        settings = _settings(documents)
        corpus = load_corpus(
            settings.documents, settings.max_notice_bytes, settings.conversions_dir, settings.read_limits
        )
        library = Library.of([n for n in corpus.notices if doc is None or n.doc_id == doc])
        if doc is not None and not library.entries:
            _fail(f"no notice {doc!r}; the notices are: {', '.join(n.doc_id for n in corpus.notices)}")
        typer.echo(render_facts(library, fmt))
    except (AssistantError, ValueError) as exc:
        _fail(str(exc))


@app.command()
def targets(
    fmt: Annotated[str, typer.Option("--format", help="table | json | csv | series")] = "table",
    documents: DocumentsOption = None,
) -> None:
    """Print the target ledger: each target, what was done, progress and status (series: across periods)."""
    from assistant.ledger_view import render_ledger
    from documents.ledger import build_ledger

    try:
        settings = _settings(documents)
        corpus = load_corpus(
            settings.documents, settings.max_notice_bytes, settings.conversions_dir, settings.read_limits
        )
        rows = [row for notice in corpus.notices for row in build_ledger(notice)]
        if fmt == "series":
            from assistant.ledger_view import ledger_series

            typer.echo(json.dumps(ledger_series(rows, corpus.notices), ensure_ascii=False, indent=2))
        else:
            typer.echo(render_ledger(rows, fmt))
    except (AssistantError, ValueError) as exc:
        _fail(str(exc))


@app.command()
def fit(
    cv: Annotated[bool, typer.Option(help="measure leave-one-notice-out first")] = False,
    c: Annotated[
        float | None, typer.Option(help="the ranker's inverse regularisation (default: the fitted one)")
    ] = None,
    failures: Annotated[bool, typer.Option(help="with --cv: list each failing question")] = False,
    write: Annotated[bool, typer.Option(help="write assistant/data/ranker.json")] = True,
) -> None:
    """Fit the scorer on the open gold sets (and with --cv, score each notice with a scorer fitted without it)."""
    from assistant.fit_run import run

    try:
        typer.echo(run(_settings(), cv, c, failures, write))
    except (AssistantError, ValueError) as exc:
        _fail(str(exc))


@app.command("index")
def build(
    rebuild: Annotated[bool, typer.Option(help="rebuild even if the index is current")] = False,
    documents: DocumentsOption = None,
) -> None:
    """Prepare the embedding model, its ONNX export and the index (converting and building only what is missing)."""
    from assistant.core import ensure_ready
    from index.embedder import prepare_encoder

    try:
        settings = _settings(documents)
        prepare_encoder(settings.model, settings.cache_dir, progress=lambda line: typer.echo(line, err=True))
        assistant = ensure_ready(settings, rebuild=rebuild)
    except AssistantError as exc:
        _fail(str(exc))
    manifest = assistant.index.manifest
    typer.echo(
        f"index ready: {manifest.counts['chunks']} paragraphs of {manifest.counts['notices']} notice(s), "
        f"model {manifest.model_id}"
    )


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="the question")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer as JSON")] = False,
    batch: Annotated[Path | None, typer.Option(help="JSONL file of {id, question}; one JSON answer per line")] = None,
    doc: Annotated[list[str] | None, typer.Option(help="answer from this notice id only (repeatable)")] = None,
    explain: Annotated[bool, typer.Option(help="also print each stage's decision (the trace)")] = False,
    documents: DocumentsOption = None,
) -> None:
    """Answer a question (or a batch of them) with figures and cited paragraphs."""
    from assistant.batch import answer_batch, answer_one

    if question is None and batch is None:
        _fail("give a question, or --batch FILE.jsonl")
    try:
        settings = _settings(documents)
        if batch is not None:
            answer_batch(settings, batch, sys.stdout, doc_ids=doc or None)
        else:
            answer_one(settings, question or "", as_json, sys.stdout, doc_ids=doc or None, explain=explain)
    except AssistantError as exc:
        _fail(str(exc))


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="gold JSONL (see shared/eval/README.md)")],
    retrieval: Annotated[bool, typer.Option(help="measure recall@1/@5 of gold paragraphs instead")] = False,
    documents: DocumentsOption = None,
) -> None:
    """Grade answers (or retrieval) against a gold set and print the pass rate by kind."""
    from assistant.evaluate import run_answer_eval, run_retrieval_eval

    try:
        settings = _settings(documents)
        typer.echo(run_retrieval_eval(settings, file) if retrieval else run_answer_eval(settings, file))
    except (AssistantError, ValueError, OSError) as exc:
        _fail(str(exc))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
    documents: DocumentsOption = None,
) -> None:
    """Start the web chat (builds the model cache and index first if missing)."""
    try:
        from ui.serve import serve as serve_app
    except ImportError as exc:
        _fail(f"the web UI is not available: {exc}")
    try:
        serve_app(_settings(documents, host=host, port=port))
    except AssistantError as exc:
        _fail(str(exc))


@app.command()
def settings() -> None:
    """List every setting with its environment variable, default and meaning."""
    from assistant.settings import settings_table

    for env, default, help_text in settings_table():
        typer.echo(f"{env:<28} {default!s:<40} {help_text}")


def run() -> None:
    app()


if __name__ == "__main__":
    run()
