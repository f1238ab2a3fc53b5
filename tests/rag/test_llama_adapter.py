"""Attest inside LlamaIndex: the retriever's nodes (scores, metadata, offsets into the article)
work with LlamaIndex's own postprocessors, and the query engine's Response carries validated
citations whose quote offsets point into the article. Scripted LLM, real embedder and Chroma."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from llama_index.core.postprocessor import SimilarityPostprocessor
from llama_index.core.schema import QueryBundle

from rag.llama_adapter import AttestQueryEngine, AttestRetriever
from rag.pipeline import Pipeline
from rag.types import Filters
from tests.rag.test_answer import _cite_tass

KREMLIN = "What did the Kremlin say about the SCO?"


def test_retriever_nodes_carry_scores_metadata_and_quotes(
    fake_pipeline: Callable[..., Pipeline], seeds_copy: Path
) -> None:
    pipeline = fake_pipeline()  # retrieval never calls the LLM
    pipeline.ingest([seeds_copy])
    nodes = AttestRetriever(pipeline, top_k=4).retrieve(KREMLIN)
    assert 1 <= len(nodes) <= 4
    scores = [n.score or 0.0 for n in nodes]
    assert all(-1.0 <= s <= 1.0 for s in scores)
    for item in nodes:
        node, meta = item.node, item.node.metadata
        article = pipeline.store.document(meta["doc_id"])
        assert article is not None
        assert article.text[node.start_char_idx : node.end_char_idx] == node.get_content()  # type: ignore[misc]
        assert meta["quotes"] and all(article.text[q["start"] : q["end"]] == q["text"] for q in meta["quotes"])
        assert {"outlet", "published_at", "title", "url", "source"} <= set(meta)
    assert any(n.node.metadata["outlet"] == "TASS" for n in nodes)

    cutoff = sorted(scores)[len(scores) // 2]
    kept = SimilarityPostprocessor(similarity_cutoff=cutoff).postprocess_nodes(nodes, QueryBundle(KREMLIN))
    assert 0 < len(kept) <= len(nodes) and all((n.score or 0) >= cutoff for n in kept)

    only_tass = AttestRetriever(pipeline, filters=Filters(outlet="TASS")).retrieve(KREMLIN)
    assert only_tass and {n.node.metadata["outlet"] for n in only_tass} == {"TASS"}


def test_query_engine_response_cites_quotes_with_offsets(
    fake_pipeline: Callable[..., Pipeline], seeds_copy: Path
) -> None:
    pipeline = fake_pipeline(_cite_tass)
    pipeline.ingest([seeds_copy])
    response = AttestQueryEngine(pipeline).query(KREMLIN)
    assert response.metadata is not None and response.metadata["status"] == "answered"
    assert response.source_nodes and "terrorism" in str(response)
    for item in response.source_nodes:
        meta = item.node.metadata
        assert f"[{meta['citation']}]" in str(response)
        article = pipeline.store.document(meta["doc_id"])
        assert article is not None and article.text[meta["quote_start"] : meta["quote_end"]] == meta["quote"]
        assert round(item.score or 0, 3) == meta["support"]
    assert response.source_nodes[0].node.metadata["outlet"] == "TASS"  # the model's citation; others state it too

    empty = AttestQueryEngine(fake_pipeline()).query("Who won the 2022 World Cup?")  # no LLM call
    assert str(empty).startswith("Not in the corpus") and empty.source_nodes == []
