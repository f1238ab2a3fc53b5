"""The OpenAI-compatible embeddings backend against a real server on 127.0.0.1 that serves the
packaged MiniLM (tests/index/embed_server.py), through the ``openai`` client: batches, concurrent
requests, retries with backoff, one-line errors, and an index that refuses to mix embedders."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from index.embed_openai import OpenAIEmbedder
from index.embedding import EmbedderError, MiniLMOnnxEmbedder
from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from rag import models
from rag.pipeline import Pipeline
from rag.retrieve import RetrievalError, Retriever
from tests.index.embed_server import EmbeddingServer

TEXTS = [f"Story {i}: the council voted {i} times on the harbour budget." for i in range(18)] + ["", "   "]


@pytest.fixture(scope="module")
def server(real_embedder: MiniLMOnnxEmbedder) -> Iterator[EmbeddingServer]:
    served = EmbeddingServer(real_embedder, delay=0.15)
    yield served
    served.close()


@pytest.fixture(autouse=True)
def _fresh(server: EmbeddingServer) -> None:
    server.reset()


def served(server: EmbeddingServer, **options: object) -> OpenAIEmbedder:
    return OpenAIEmbedder(server.url, server.model, **options)  # type: ignore[arg-type]


def free_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_batches_go_out_concurrently_and_come_back_in_order(
    server: EmbeddingServer, real_embedder: MiniLMOnnxEmbedder
) -> None:
    embedder = served(server, batch_size=4, concurrency=3)
    vectors = embedder.embed(TEXTS)
    assert sorted(server.batches) == [4, 4, 4, 4, 4]
    assert server.most_in_flight == 3  # 5 batches of 0.15 s each, 3 at a time
    local = real_embedder.embed([t if t.strip() else "." for t in TEXTS])
    assert vectors.shape == (20, 384) and embedder.dimension == 384
    assert np.allclose(vectors, local, atol=1e-5)  # same vectors, same order (the server reverses its list)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)

    server.reset()
    one_at_a_time = served(server, batch_size=4, concurrency=1)
    started = time.monotonic()
    one_at_a_time.embed(TEXTS)
    assert server.most_in_flight == 1 and time.monotonic() - started >= 5 * 0.15


def test_a_503_is_retried_with_growing_waits(server: EmbeddingServer, real_embedder: MiniLMOnnxEmbedder) -> None:
    server.fail_first = 3
    vectors = served(server, retries=3).embed(TEXTS[:2])
    assert len(server.arrivals) == 4 and server.batches == [2]
    assert np.allclose(vectors, real_embedder.embed(TEXTS[:2]), atol=1e-5)
    waits = np.diff(server.arrivals)
    # The openai client's backoff: 0.5 s, 1 s, 2 s, less up to 25% jitter (plus our 0 s for a 503).
    assert waits[0] >= 0.37 and waits[1] >= 0.75 and waits[2] >= 1.5
    assert waits[2] > waits[0]


def test_a_server_that_keeps_failing_is_one_clear_line(server: EmbeddingServer) -> None:
    server.fail_always = True
    with pytest.raises(EmbedderError, match="answered HTTP 503") as failed:
        served(server, retries=1).embed(TEXTS[:2])
    assert len(server.arrivals) == 2 and "\n" not in str(failed.value)


def test_an_unknown_model_names_the_setting(server: EmbeddingServer) -> None:
    with pytest.raises(EmbedderError, match="HTTP 404.*'no-such-model'.*ATTEST_EMBED_MODEL"):
        OpenAIEmbedder(server.url, "no-such-model", retries=0).embed(["x"])


def test_a_server_that_is_down_is_one_clear_line(tmp_path: Path, seeds_copy: Path) -> None:
    url = free_url()
    with pytest.raises(EmbedderError, match=f"cannot reach the embedding server at {url}.*ATTEST_EMBED_BASE_URL"):
        OpenAIEmbedder(url, "m", retries=1).embed(["x"])
    # Through `attest ingest`: the factory builds the served embedder from settings; the error is one line.
    settings = Settings(
        data_dir=tmp_path / "data", embed_backend="openai", embed_base_url=url, embed_model="m", embed_retries=0
    )
    from ui.cli import cli

    result = CliRunner().invoke(cli, ["ingest", str(seeds_copy)], obj={"pipeline": Pipeline(settings)})
    assert result.exit_code != 0
    assert "cannot reach the embedding server" in result.output and "Traceback" not in result.output


def test_the_factory_picks_the_backend_from_settings(server: EmbeddingServer, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        embed_backend="openai",
        embed_base_url=server.url,
        embed_model=server.model,
        embed_batch_size=7,
        embed_concurrency=2,
    )
    embedder = models.make_embedder(settings)
    assert isinstance(embedder, OpenAIEmbedder)
    assert (embedder.batch_size, embedder.concurrency) == (7, 2)
    assert embedder.name == "minilm-served (OpenAI-compatible embeddings)"
    assert isinstance(models.make_embedder(Settings(data_dir=tmp_path)), MiniLMOnnxEmbedder)
    with pytest.raises(EmbedderError, match="ATTEST_EMBED_BASE_URL"):
        models.make_embedder(settings.model_copy(update={"embed_base_url": None}))


def test_an_index_is_searched_only_with_the_embedder_it_was_built_with(
    server: EmbeddingServer, real_embedder: MiniLMOnnxEmbedder, settings: Settings, seeds_copy: Path
) -> None:
    embedder = served(server, batch_size=16, concurrency=2)
    store = Store(settings)
    report = Ingestor(settings, store, embedder).ingest([seeds_copy])
    assert len(report.added) == 5 and sum(server.batches) == report.chunks_embedded
    retriever = Retriever(store, embedder)
    retriever.check_ready()
    hits = retriever.search("Russian-Pakistani contacts on various levels will be ramped up", 3)
    assert hits and hits[0].article.outlet == "TASS"
    with pytest.raises(RetrievalError, match="built with minilm-served .*not all-MiniLM-L6-v2.*re-run: attest ingest"):
        Retriever(Store(settings), real_embedder).check_ready()

    other = settings.model_copy(update={"data_dir": settings.data_dir.parent / "other"})
    Ingestor(other, Store(other), real_embedder).ingest([seeds_copy])
    with pytest.raises(RetrievalError, match="built with all-MiniLM-L6-v2.*not minilm-served"):
        Retriever(Store(other), embedder).check_ready()
