"""The web side of the CLI: ``attest ingest URL... --feed URL`` (through :func:`ingest_web`) and
``attest watch FEED... --every 15m``. Only the pages and feeds the user names are fetched."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from index.ingest import Ingestor, IngestReport
from index.settings import Settings
from index.urls import canonical_url
from index.watch import MIN_EVERY, FeedWatcher, fetcher_for, ingest_urls, parse_interval
from rag.pipeline import Pipeline
from rag.safe_text import terminal_safe


def ingest_web(pipeline: Pipeline, urls: list[str], feeds: list[str], progress: bool) -> list[IngestReport]:
    """Pages by address, then feeds (every item, new or not); one report each."""
    ingestor = Ingestor(pipeline.settings, pipeline.store, pipeline.embedder)
    reports = []
    with fetcher_for(pipeline.settings) as fetcher:
        if urls:
            reports.append(ingest_urls(ingestor, urls, fetcher, progress=progress))
        if feeds:
            watcher = FeedWatcher(pipeline.settings, ingestor, fetcher)
            reports.append(watcher.poll(feeds, only_new=False, progress=progress))
    return reports


def bad_addresses(addresses: list[str]) -> list[str]:
    return [a for a in addresses if not canonical_url(a)]


@click.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="How often to look for new items: 90s, 15m, 2h.")
@click.option("--rounds", type=click.IntRange(1), default=None, help="Stop after this many rounds (default: never).")
@click.pass_context
def watch(ctx: click.Context, feeds: tuple[str, ...], every: str, rounds: int | None) -> None:
    """Keep RSS/Atom feeds current: fetch only new items, politely, every so often."""
    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    if seconds < MIN_EVERY:
        raise click.BadParameter(
            f"at least {int(MIN_EVERY)}s between rounds, to be polite to the feeds", param_hint="--every"
        )
    if bad := bad_addresses(list(feeds)):
        raise click.BadParameter(
            f"not an http(s) address: {bad[0]}; give the feed's full https://... URL", param_hint="FEEDS"
        )
    ctx.ensure_object(dict)
    pipeline = ctx.obj.get("pipeline")
    if pipeline is None:
        from rag.engine import build_pipeline

        pipeline = ctx.obj["pipeline"] = build_pipeline(Settings())
    ingestor = Ingestor(pipeline.settings, pipeline.store, pipeline.embedder)

    def report(number: int, done: IngestReport) -> None:
        for error in done.errors:
            click.echo(terminal_safe(f"skipped {error}"), err=True)
        when = datetime.now().strftime("%H:%M:%S")
        click.echo(f"[{when}] round {number}: {done.summary()}.")
        sys.stdout.flush()

    click.echo(f"Watching {len(feeds)} feed(s) every {every}; Ctrl+C stops.")
    with fetcher_for(pipeline.settings) as fetcher:
        try:
            FeedWatcher(pipeline.settings, ingestor, fetcher).run(list(feeds), seconds, rounds=rounds, on_round=report)
        except KeyboardInterrupt:
            click.echo("Stopped.")
