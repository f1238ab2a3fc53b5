"""The Library tab's work, without Gradio: the indexed articles as table rows and choices, adding
uploaded files (saved under safe names, ingested one by one with progress), adding web pages and
RSS/Atom feeds by address (fetched politely, index/fetch.py), deleting an article (its chunks,
its BM25 rows and, once no article needs it, its uploaded file)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from index import catalog
from index.ingest import Ingestor, IngestProgress, IngestReport
from index.records import DocRecord
from index.urls import canonical_url
from index.watch import fetcher_for, ingest_addresses
from rag.pipeline import Pipeline
from ui import uploads
from ui.render import md_text

ALL_OUTLETS = "All outlets"
HEADERS = ["Title", "Outlet", "Date", "Chunks", "File or URL", "ID"]
Progress = Callable[[int, int, str], None]  # (done, total, what is happening)


def file_of(record: DocRecord) -> str:
    """The file an article came from (a .jsonl line's source is ``file#id``)."""
    return record.source.split("#", 1)[0]


def name_of(record: DocRecord) -> str:
    return record.meta.title or Path(file_of(record)).name


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class Library:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.settings = pipeline.settings

    def documents(self) -> list[DocRecord]:
        return self.pipeline.store.documents()

    # -- views ------------------------------------------------------------------------------
    @staticmethod
    def rows(docs: Sequence[DocRecord]) -> list[list[Any]]:
        return [
            [name_of(d), d.meta.outlet, d.meta.published_at, d.n_chunks, d.meta.url or d.source, d.doc_id] for d in docs
        ]

    def summary(self, docs: Sequence[DocRecord]) -> str:
        chunks = sum(d.n_chunks for d in docs)
        kinds = catalog.counts(docs)["by_type"]
        by_type = f"; by type: {', '.join(f'{md_text(k)}: {n}' for k, n in kinds.items())}" if kinds else ""
        return (
            f"**{plural(len(docs), 'document')}, {plural(chunks, 'chunk')}** in `{self.pipeline.store.location}`"
            f"{by_type}; uploads are kept in `{self.settings.uploads_path}`."
        )

    @staticmethod
    def outlets(docs: Sequence[DocRecord]) -> list[str]:
        return [ALL_OUTLETS, *sorted({d.meta.outlet for d in docs if d.meta.outlet}, key=str.lower)]

    @staticmethod
    def choices(docs: Sequence[DocRecord]) -> list[tuple[str, str]]:
        """(label, doc_id) for the delete menu: name, outlet and date."""
        return [
            (" \u2014 ".join(x for x in (name_of(d)[:80], d.meta.outlet, d.meta.published_at) if x), d.doc_id)
            for d in docs
        ]

    # -- changes ----------------------------------------------------------------------------
    def add(self, paths: Sequence[str | Path], progress: Progress | None = None) -> str:
        """Save and ingest uploaded files; a Markdown list of what happened to each."""
        if not paths:
            return f"Choose one or more files first ({uploads.ALLOWED_LABEL})."
        saved = uploads.save_uploads(paths, self.settings.uploads_path, self.settings.upload_max_mb * 2**20)
        lines = [f"Skipped {reason}" for reason in saved.rejected]
        total = len(saved.files)
        for number, path in enumerate(saved.files):
            if progress is not None:
                progress(number, total, f"Ingesting {path.name}")

            def counts(state: IngestProgress, number: int = number, path: Path = path) -> None:
                if progress is not None and state.chunks_embedded:  # one large file: articles done, pace, time left
                    progress(number, total, f"Ingesting {path.name}: {state.describe()}")

            try:
                report = self.pipeline.ingest([path], on_progress=counts)
            except Exception as exc:
                lines.append(f"{path.name}: not ingested ({exc}); check the file and try again.")
                continue
            lines.extend(f"Skipped {error}" for error in report.errors)
            if report.added or report.updated or report.unchanged:
                what = "added" if report.added else "updated" if report.updated else "already indexed"
                count = len(report.added) + len(report.updated) + report.unchanged
                chunks = plural(report.chunks_embedded, "chunk")
                lines.append(f"{path.name}: {plural(count, 'article')} {what}, {chunks} embedded.")
        if progress is not None and total:
            progress(total, total, "Done")
        return "\n".join(f"- {md_text(line)}" for line in lines) or "Nothing was ingested."

    def add_addresses(self, text: str, progress: Progress | None = None) -> str:
        """Fetch and ingest the web pages and RSS/Atom feeds whose addresses ``text`` lists (one per
        line or separated by spaces); a Markdown list of what happened."""
        addresses = [a for a in (text or "").split() if a]
        if not addresses:
            return "Paste the address of a web page or of an RSS/Atom feed (https://...)."
        bad = [a for a in addresses if not canonical_url(a)]
        lines = [f"Skipped {a}: not an http(s) address; give a full https://... URL" for a in bad]
        good = [a for a in addresses if a not in bad]
        total = len(good)

        def counts(state: IngestProgress) -> None:
            if progress is not None:
                progress(state.files_done, total, f"Fetching and ingesting: {state.describe()}")

        if good:
            ingestor = Ingestor(self.settings, self.pipeline.store, self.pipeline.embedder)
            try:
                with fetcher_for(self.settings) as fetcher:
                    report = ingest_addresses(ingestor, good, fetcher, on_progress=counts)
            except Exception as exc:
                lines.append(f"Not ingested ({exc}); check the address and try again.")
            else:
                lines.extend(f"Skipped {error}" for error in report.errors)
                lines.append(web_summary(report))
        if progress is not None and total:
            progress(total, total, "Done")
        return "\n".join(f"- {md_text(line)}" for line in lines)

    def delete(self, doc_id: str | None) -> str:
        """Remove one article from the index; a one-line Markdown status."""
        if not doc_id:
            return "Choose a document to delete."
        record = self.pipeline.store.document(doc_id)
        if record is None:
            return "That document is no longer in the index; refresh the list."
        try:
            self.pipeline.delete(doc_id)  # Chroma and BM25 together
        except Exception as exc:
            return f"Could not delete it ({md_text(str(exc))}); check the index and try again."
        note = ""
        path = file_of(record)
        if uploads.inside(path, self.settings.uploads_path) and not any(
            file_of(d) == path for d in self.documents()
        ):  # an uploaded file that no other article (line of the same .jsonl) needs
            Path(path).unlink(missing_ok=True)
            note = " Its uploaded file was removed too."
        return f"Deleted \u201c{md_text(name_of(record))}\u201d ({plural(record.n_chunks, 'chunk')}).{note}"

    # -- for scripts ------------------------------------------------------------------------
    @staticmethod
    def origins(d: DocRecord) -> list[str]:
        return list(d.meta.origins) or [d.source]

    @staticmethod
    def as_dict(d: DocRecord) -> dict[str, Any]:
        return {
            **d.article.to_dict(),
            "authors": list(d.meta.authors),
            "chunks": d.n_chunks,
            "type": catalog.kind(d),
            "origins": Library.origins(d),
        }


def web_summary(report: IngestReport) -> str:
    parts = [
        f"{plural(len(report.added), 'article')} added",
        f"{len(report.updated)} updated",
        f"{report.unchanged} already indexed",
    ]
    if report.merged:
        parts.append(f"{len(report.merged)} already indexed from elsewhere (origin recorded)")
    return ", ".join(parts) + f"; {plural(report.chunks_embedded, 'chunk')} embedded."
