"""Integrity across crashes: chunks of an article whose completion mark was never written are
never searched (a real kill -9 mid-write, and a crash mid-update); a huge article is stored as it
is embedded and a re-run resumes it; two ingests of one index never both embed the same files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from rag.retrieve import Retriever
from tests.conftest import ROOT, HashEmbedder

HARBOUR = "The harbour master closed the northern quay after the storm damaged three cranes."


def searched_doc_ids(settings: Settings, query: str, embedder: Any) -> set[str]:
    retriever = Retriever(Store(settings), embedder)
    return {hit.article.doc_id for hit in retriever.search(query, 20)}


def test_kill_9_between_chunks_and_record_leaves_nothing_searchable(settings: Settings, seeds_copy: Path) -> None:
    (seeds_copy / "harbour.txt").write_text(HARBOUR + " Repairs will take a month.", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from index.ingest import Ingestor
        from index.settings import Settings
        from index.store import Store
        from tests.conftest import HashEmbedder
        settings = Settings(data_dir={str(settings.data_dir)!r})
        store = Store(settings)
        def killed(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)  # after the chunks, before the completion mark
        store.put_documents = killed
        Ingestor(settings, store, HashEmbedder()).ingest([__import__("pathlib").Path({str(seeds_copy)!r})])
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == -9, done.stderr
    store = Store(settings)
    assert store.chunks.count() > 0 and store.document_count() == 0  # the chunks were written, nothing marked
    assert searched_doc_ids(settings, HARBOUR, HashEmbedder()) == set()
    Ingestor(settings, Store(settings), HashEmbedder()).ingest([seeds_copy])
    assert len(searched_doc_ids(settings, HARBOUR, HashEmbedder())) > 0


class CrashOnMark(Store):
    def put_documents(self, items: Any, index_key: str) -> None:
        raise KeyboardInterrupt("killed before the completion mark")


def test_crash_mid_update_never_serves_the_new_chunks_with_the_old_record(
    settings: Settings, tmp_path: Path, real_embedder: Any
) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    Ingestor(settings, Store(settings), real_embedder).ingest([path])
    path.write_text("The airport reopened its second runway on Monday after resurfacing.", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        Ingestor(settings, CrashOnMark(settings), real_embedder).ingest([path])
    store = Store(settings)
    assert store.chunk_count() == 1 and store.documents()[0].content_hash  # new chunk stored, old record kept
    for query in ("airport runway reopened", "harbour quay storm cranes"):
        hits = Retriever(store, real_embedder).search(query, 5)
        assert hits == []  # neither the new text (not marked) nor the old one (deleted) is served
    Ingestor(settings, Store(settings), real_embedder).ingest([path])
    (hit,) = Retriever(Store(settings), real_embedder).search("airport runway reopened", 5)
    assert Store(settings).document(hit.article.doc_id).text[hit.start : hit.end] == hit.text


class StopAfter(HashEmbedder):
    def __init__(self, calls: int) -> None:
        self.left = calls
        self.texts = 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        if self.left == 0:
            raise KeyboardInterrupt("Ctrl-C")
        self.left -= 1
        self.texts += len(texts)
        return super().embed(texts)


def test_a_huge_article_is_stored_as_it_goes_and_resumed(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(" ".join(f"Sentence {n} of a long flat report without any line breaks." for n in range(3000)))
    first = StopAfter(calls=2)
    with pytest.raises(KeyboardInterrupt):
        Ingestor(settings, Store(settings), first, embed_batch=64, write_batch=100).ingest([path])
    assert Store(settings).chunk_count() == first.texts == 200  # two steps kept, not searchable yet
    assert Retriever(Store(settings), HashEmbedder()).search("Sentence 5 long flat report", 3) == []
    second = StopAfter(calls=10_000)
    report = Ingestor(settings, Store(settings), second, embed_batch=64, write_batch=100).ingest([path])
    total = Store(settings).chunk_count()
    assert report.chunks_embedded == second.texts == total - 200  # resumed: the stored 200 not embedded again
    assert len(report.added) == 1 and Store(settings).documents()[0].n_chunks == total
    assert Retriever(Store(settings), HashEmbedder()).search("Sentence 5 long flat report", 3)


def test_two_concurrent_ingests_embed_each_article_once(settings: Settings, seeds_copy: Path) -> None:
    class Counting(HashEmbedder):
        texts = 0

        def embed(self, texts):  # type: ignore[no-untyped-def]
            Counting.texts += len(texts)
            return super().embed(texts)

    reports: list[Any] = []
    threads = [
        threading.Thread(
            target=lambda: reports.append(Ingestor(settings, Store(settings), Counting()).ingest([seeds_copy]))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r.added) for r in reports) == [0, 5] and sorted(r.unchanged for r in reports) == [0, 5]
    assert Counting.texts == Store(settings).chunk_count()


def test_renaming_the_corpus_folder_moves_articles_without_doubling_or_embedding(
    settings: Settings, seeds_copy: Path
) -> None:
    class Counting(HashEmbedder):
        texts = 0

        def embed(self, texts):  # type: ignore[no-untyped-def]
            Counting.texts += len(texts)
            return super().embed(texts)

    Ingestor(settings, Store(settings), Counting()).ingest([seeds_copy])
    embedded = Counting.texts
    renamed = seeds_copy.rename(seeds_copy.parent / "corpus-2022")
    report = Ingestor(settings, Store(settings), Counting()).ingest([renamed])
    assert (len(report.moved), len(report.added), report.chunks_embedded, Counting.texts) == (5, 0, 0, embedded)
    store = Store(settings)
    assert len(store.documents()) == 5 and all(d.source.startswith(str(renamed)) for d in store.documents())
    hits = Retriever(store, HashEmbedder()).search("Kremlin statement SCO terrorism", 5)
    assert hits and all(h.article.source.startswith(str(renamed)) for h in hits)
    assert Ingestor(settings, Store(settings), Counting()).ingest([renamed]).unchanged == 5
