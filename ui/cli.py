"""``attest``: ingest articles, ask cited questions, inspect the index, serve the web UI."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from index import catalog
from index.embedding import EmbedderError
from index.ingest_progress import IngestInterrupted
from index.settings import Settings
from index.store import StoreError
from index.urls import is_url
from rag.check import CheckReport
from rag.engine import build_pipeline
from rag.llm import LLMError
from rag.local_model import ModelError
from rag.pipeline import Pipeline
from rag.retrieve import RetrievalError
from rag.safe_text import terminal_safe
from rag.types import Evidence, Filters
from ui.cli_render import check_summary, render_answer, render_claim, render_evidence

F = TypeVar("F", bound=Callable[..., Any])
USER_ERRORS = (RetrievalError, StoreError, LLMError, ModelError, EmbedderError, ValueError, OSError, IngestInterrupted)


def friendly_errors(command: F) -> F:
    """Known failures become one line on stderr that says how to fix them, and exit code 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]).upper() if first.get("loc") else "setting"
            raise click.ClickException(f"invalid setting ATTEST_{field}: {first['msg']}") from exc
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2021-08-25") from None


def filter_options(command: F) -> F:
    """--source, --since, --until and --as-of: which articles may answer (ask, check, chat)."""
    for option in (
        click.option(
            "--as-of", "as_of", default=None, callback=_iso_date, help="Ignore articles published after YYYY-MM-DD."
        ),
        click.option(
            "--until", default=None, callback=_iso_date, help="Only articles published on or before YYYY-MM-DD."
        ),
        click.option(
            "--since", default=None, callback=_iso_date, help="Only articles published on or after YYYY-MM-DD."
        ),
        click.option("--source", "outlet", default=None, help="Only articles from this outlet (e.g. TASS)."),
    ):
        command = option(command)
    return command


@click.group()
@click.version_option(package_name="attest")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Attest: answers from your news corpus in which every sentence cites its source."""
    ctx.ensure_object(dict)


def _pipeline(ctx: click.Context) -> Pipeline:
    if "pipeline" not in ctx.obj:
        ctx.obj["pipeline"] = build_pipeline(Settings())  # the one composition point (rag/engine.py)
    return ctx.obj["pipeline"]


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--feed", "feeds", multiple=True, help="An RSS/Atom feed URL: each item's page is fetched and indexed.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
@click.pass_context
@friendly_errors
def ingest(ctx: click.Context, paths: tuple[str, ...], feeds: tuple[str, ...], progress: bool | None) -> None:
    """Index files, folders or web pages (.txt .md .html .pdf .docx .warc .jsonl(.gz), https://...), and
    feeds (--feed URL). Default: ./seeds."""
    from ui import cli_web

    urls = [p for p in paths if is_url(p)]
    files = tuple(Path(p) for p in paths if not is_url(p))
    if bad := cli_web.bad_addresses(urls + list(feeds)):
        raise click.UsageError(f"not an http(s) address: {bad[0]}; give a full https://... URL")
    if not paths and not feeds:
        if not Path("seeds").is_dir():
            raise click.UsageError("no PATHS given and no ./seeds folder here; run: attest ingest FOLDER")
        files = (Path("seeds"),)
    pipeline = _pipeline(ctx)
    bar = sys.stderr.isatty() if progress is None else progress
    reports = [pipeline.ingest(files, progress=bar)] if files else []
    reports += cli_web.ingest_web(pipeline, urls, list(feeds), bar) if urls or feeds else []
    for report in reports:
        for error in report.errors:
            click.echo(terminal_safe(f"skipped {error}"), err=True)
        click.echo(f"Ingested into {pipeline.store.location}: {report.summary()}.")
    if all(not r.added and not r.updated and not r.unchanged and not r.merged and r.errors for r in reports):
        raise click.ClickException("nothing could be ingested; fix the files or addresses listed above")


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer, sentences and citations as JSON.")
@click.option("--top-k", type=click.IntRange(1, 50), default=None, help="Passages to retrieve.")
@filter_options
@click.pass_context
@friendly_errors
def ask(
    ctx: click.Context,
    question: str,
    as_json: bool,
    top_k: int | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    as_of: str | None,
) -> None:
    """Answer QUESTION from the index; every sentence cites the passage it rests on.

    The best-matching evidence sentences are printed first, as soon as they are found; the
    model's answer, checked against them, follows."""
    filters = Filters(outlet, since, until, as_of)
    if as_json:
        answer = _pipeline(ctx).ask(question, filters, top_k=top_k)
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return

    def show(evidence: list[Evidence]) -> None:
        click.echo(render_evidence(evidence) + "\n")
        sys.stdout.flush()

    answer = _pipeline(ctx).ask(question, filters, top_k=top_k, on_evidence=show)
    click.echo(render_answer(answer))


@cli.command()
@click.argument("text", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Check this file.")
@click.option("--json", "as_json", is_flag=True, help="Print verdicts, quotes and outlets as JSON.")
@filter_options
@click.pass_context
@friendly_errors
def check(
    ctx: click.Context,
    text: str | None,
    file: Path | None,
    as_json: bool,
    outlet: str | None,
    since: str | None,
    until: str | None,
    as_of: str | None,
) -> None:
    """Check TEXT (or --file) sentence by sentence: supported, contradicted or not in the corpus."""
    if (text is None) == (file is None):
        raise click.UsageError('give the text to check or --file PATH, e.g. attest check "Putin visited Islamabad."')
    content = text if text is not None else file.read_text(encoding="utf-8")  # type: ignore[union-attr]
    pipeline = _pipeline(ctx)
    filters = Filters(outlet, since, until, as_of)
    if as_json:
        click.echo(json.dumps(pipeline.check(content, filters).to_dict(), ensure_ascii=False, indent=2))
        return
    started = time.perf_counter()
    results = []
    for number, claim in enumerate(pipeline.checker.iter_check(content, filters), start=1):  # each as it is ready
        results.append(claim)
        click.echo(terminal_safe(render_claim(number, claim)))
    report = CheckReport(content, results, pipeline.judge.name, {"total": time.perf_counter() - started})
    click.echo(terminal_safe(check_summary(report)))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
@friendly_errors
def info(ctx: click.Context, as_json: bool) -> None:
    """Index size, models, and where data lives."""
    pipeline = _pipeline(ctx)
    details = pipeline.info()
    details["articles"] = catalog.counts(pipeline.store.documents()) if pipeline.store.exists() else {}
    if as_json:
        click.echo(json.dumps(details, indent=2))
        return
    index = details["index"]
    click.echo(
        f"Index: {index['documents']} documents, {index['chunks']} chunks "
        f"({index['mode']} Chroma at {index['location']}, collection '{index['collection']}')"
    )
    click.echo(f"Embedder: {details['embedder']}")
    click.echo(f"LLM: {details['llm']}")
    click.echo(f"Data: {details['data_dir']}; models: {details['model_cache_dir']}")
    for label, key in (("By type", "by_type"), ("By outlet", "by_outlet")):
        if details.get("articles", {}).get(key):
            click.echo(f"{label}: " + ", ".join(f"{k} {n}" for k, n in details["articles"][key].items()))


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1, from ATTEST_HOST).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 7860, from ATTEST_PORT).")
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the web UI, the OpenAI-compatible API (/v1) and MCP (/mcp) on localhost."""
    from ui.server import launch

    pipeline = _pipeline(ctx)
    pipeline.warm_up()  # the first question in the web UI or the API should not wait for the model
    launch(pipeline, host=host, port=port)


@cli.command()
@click.option("--top-k", type=click.IntRange(1, 50), default=None, help="Passages to retrieve.")
@filter_options
@click.pass_context
@friendly_errors
def chat(
    ctx: click.Context, top_k: int | None, outlet: str | None, since: str | None, until: str | None, as_of: str | None
) -> None:
    """A conversation in the terminal: evidence first, then the cited answer; follow-ups read in context."""
    from rag.engine import new_conversation
    from ui import chat_repl

    def show(evidence: list[Evidence]) -> None:
        click.echo(render_evidence(evidence) + "\n")
        sys.stdout.flush()

    chat_repl.run(
        new_conversation(_pipeline(ctx)),
        show,
        lambda answer: click.echo(render_answer(answer)),
        click.echo,
        filters=Filters(outlet, since, until, as_of),
        top_k=top_k,
        user_errors=USER_ERRORS,
    )


@cli.command()
@click.pass_context
@friendly_errors
def mcp(ctx: click.Context) -> None:
    """Serve the MCP tools (search, ask, check_claims, get_article) on stdin/stdout, for MCP clients."""
    from ui.mcp_server import run_stdio

    run_stdio(_pipeline(ctx))


@cli.command(name="eval")
@click.option("--corpus", type=click.Path(exists=True, path_type=Path), required=True, help="Articles (.jsonl.gz).")
@click.option(
    "--questions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Questions (.jsonl: question, answer, doc_ids, choices, question_date).",
)
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=None,
    help="Only the first N questions; index only their gold articles (plus --distractors).",
)
@click.option("--distractors", type=click.IntRange(0), default=0, help="With --limit: other articles to index too.")
@click.option(
    "--answers",
    type=click.IntRange(0),
    default=None,
    help="Gold-article questions to answer with the LLM (default: all selected; 0: none).",
)
@click.option(
    "--abstention",
    type=click.IntRange(0),
    default=30,
    help="Gold-article questions asked again with their gold articles removed (0: none).",
)
@click.option("--baselines/--no-baselines", default=True, help="Also score dense only, BM25 only, hybrid.")
@click.option("--rerank/--no-rerank", default=False, help="Also score retrieval with the LLM reranker (slow).")
@click.option("--choices/--no-choices", default=True, help="Also score multiple-choice accuracy (one LLM call each).")
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The evaluation's own index (default: under ATTEST_DATA_DIR/eval).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the JSON report here and a Markdown table beside it (default: in the index folder).",
)
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: when on a terminal).")
@click.pass_context
@friendly_errors
def evaluate(
    ctx: click.Context,
    corpus: Path,
    questions: Path,
    limit: int | None,
    distractors: int,
    answers: int | None,
    abstention: int,
    baselines: bool,
    rerank: bool,
    choices: bool,
    index_dir: Path | None,
    report_path: Path | None,
    progress: bool | None,
) -> None:
    """Measure retrieval, answers, citations and abstention on a news QA set (RealTime QA format)."""
    from rag.eval_report import markdown, to_json
    from rag.eval_runner import EvalConfig, Evaluation

    pipeline = _pipeline(ctx)
    command = "attest eval " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["eval"] else ""
    config = EvalConfig(
        corpus=corpus,
        questions=questions,
        limit=limit,
        distractors=distractors,
        answers=answers,
        abstention=abstention,
        baselines=baselines,
        rerank=rerank,
        choices=choices,
        index_dir=index_dir,
        command=command,
    )
    evaluation = Evaluation(
        pipeline.settings,
        config,
        embedder=pipeline._embedder,
        llm=pipeline._llm,
        progress=sys.stderr.isatty() if progress is None else progress,
    )
    retrieval_only = answers == 0 and abstention == 0 and not rerank
    report = evaluation.run(retrieval_only=retrieval_only)
    target = report_path or evaluation.index_dir / "report.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_json(report), encoding="utf-8")
    table = markdown(report)
    target.with_suffix(".md").write_text(table + "\n", encoding="utf-8")
    click.echo(table)
    click.echo(f"\nReport: {target} (and {target.with_suffix('.md').name})")


def _add_web_commands() -> None:
    from ui.cli_web import watch

    cli.add_command(watch)


_add_web_commands()


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
