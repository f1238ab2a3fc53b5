"""The Library tab's work without a browser: adding uploads (with progress and per-file reasons),
deleting articles, and the uploaded file kept until no article of it remains."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from rag.pipeline import Pipeline
from ui.library import ALL_OUTLETS, Library


def test_add_then_delete_a_jsonl_upload(fake_pipeline: Callable[..., Pipeline], tmp_path: Path) -> None:
    pipeline = fake_pipeline()
    library = Library(pipeline)
    lines = [
        {"doc_id": "a1", "title": "Gwadar cargo", "published_at": "2024-04-02", "text": "Cargo rose. " * 150},
        {"doc_id": "a2", "title": "Quay cranes", "published_at": "2024-04-03", "text": "Cranes moved. " * 150},
    ]
    feed = tmp_path / "port feed.jsonl"
    feed.write_text(
        "\n".join(json.dumps({**line, "url": f"https://www.dawn.com/news/{line['doc_id']}"}) for line in lines) + "\n",
        encoding="utf-8",
    )
    program = tmp_path / "tool.exe"
    program.write_bytes(b"MZ")
    steps: list[tuple[int, int, str]] = []

    status = library.add([feed, program], lambda done, total, what: steps.append((done, total, what)))
    assert "- Skipped tool.exe: not a supported file type" in status
    assert "- port\\_feed.jsonl: 2 articles added, " in status
    assert steps[0] == (0, 1, "Ingesting port_feed.jsonl") and steps[-1] == (1, 1, "Done")
    counted = [what for _, _, what in steps[1:-1]]  # a file's articles and chunks as they are stored
    assert counted and re.fullmatch(
        r"Ingesting port_feed\.jsonl: 2 of 2 articles, \d+ chunks embedded(, [\d.]+ articles/s)?", counted[-1]
    )

    docs = library.documents()
    assert [d.meta.title for d in docs] == ["Gwadar cargo", "Quay cranes"] and docs[0].n_chunks > 1
    assert library.outlets(docs) == [ALL_OUTLETS, "Dawn"]
    assert library.choices(docs)[0] == ("Gwadar cargo \u2014 Dawn \u2014 2024-04-02", docs[0].doc_id)
    rows = library.rows(docs)
    assert rows[0][:4] == ["Gwadar cargo", "Dawn", "2024-04-02", docs[0].n_chunks]
    assert library.summary(docs).startswith(f"**2 documents, {sum(d.n_chunks for d in docs)} chunks** in `")
    assert "already indexed" in library.add([feed])

    saved = pipeline.settings.uploads_path / "port_feed.jsonl"
    assert library.delete(docs[0].doc_id) == f"Deleted \u201cGwadar cargo\u201d ({docs[0].n_chunks} chunks)."
    assert saved.exists()  # the other article still comes from it
    assert pipeline.retriever.lexical.count() == pipeline.store.chunk_count()  # BM25 rows went too
    assert library.delete(docs[1].doc_id).endswith("Its uploaded file was removed too.")
    assert not saved.exists() and library.documents() == []
    assert library.delete(docs[1].doc_id) == "That document is no longer in the index; refresh the list."
    assert library.delete(None) == "Choose a document to delete."
    assert library.add([]) == "Choose one or more files first (.txt .md .html .pdf .docx .jsonl(.gz) .warc(.gz))."


def test_deleting_an_indexed_folder_file_keeps_the_file(
    fake_pipeline: Callable[..., Pipeline], seeds_copy: Path
) -> None:
    pipeline = fake_pipeline()
    pipeline.ingest([seeds_copy])
    library = Library(pipeline)
    tass = next(d for d in library.documents() if d.meta.outlet == "TASS")
    name = Path(tass.source).name.replace("_", "\\_")  # Markdown-safe
    assert library.delete(tass.doc_id) == f"Deleted \u201c{name}\u201d ({tass.n_chunks} chunks)."
    assert Path(tass.source).exists()  # not an upload: the user's own file stays
    assert all(d.meta.outlet != "TASS" for d in library.documents())
