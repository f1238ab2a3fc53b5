"""Attest inside LlamaIndex pipelines: its hybrid retriever as a ``BaseRetriever`` and its cited
answerer as a ``BaseQueryEngine``.

- :class:`AttestRetriever` returns the best-matching passages as ``NodeWithScore`` (score: cosine
  similarity to the query), each ``TextNode`` with the article's metadata (doc_id, title, outlet,
  published_at, url, source), its character span in the article (``start_char_idx``/
  ``end_char_idx``) and its best-matching sentences, verbatim with offsets (``metadata["quotes"]``).
- :class:`AttestQueryEngine` answers with validated citations: ``Response.response`` is the answer
  with its ``[n]`` markers (or "not in the corpus"), each source node one citation whose metadata
  carries the quote and its offsets into the article and the support score, and
  ``Response.metadata`` is ``attest ask --json``'s answer.

Both take Attest's filters (outlet, since, until, as_of) and use the pipeline from
rag/engine.py; LlamaIndex's own LLM and embedding settings are not used.
"""

from __future__ import annotations

import asyncio
from typing import Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.pipeline import Pipeline
from rag.types import Citation, Filters, Passage


def passage_node(passage: Passage) -> TextNode:
    """A retrieved passage as a LlamaIndex node (offsets into the article's text)."""
    return TextNode(
        id_=passage.chunk_id,
        text=passage.text,
        start_char_idx=passage.start,
        end_char_idx=passage.end,
        metadata={
            **passage.article.to_dict(),
            "relevance": round(passage.relevance, 4),
            "quotes": [s.to_dict() for s in passage.sentences],
        },
        excluded_embed_metadata_keys=["quotes", "relevance", "source"],
        excluded_llm_metadata_keys=["quotes", "relevance", "source", "doc_id"],
    )


def citation_node(citation: Citation) -> TextNode:
    """A validated citation ``[n]`` as a node: the passage, and the quote it rests on."""
    p, q = citation.passage, citation.quote
    return TextNode(
        id_=f"{p.chunk_id}#{q.start}-{q.end}",
        text=p.text,
        start_char_idx=p.start,
        end_char_idx=p.end,
        metadata={
            **p.article.to_dict(),
            "citation": citation.number,
            "quote": q.text,
            "quote_start": q.start,
            "quote_end": q.end,
            "support": round(citation.support, 3),
        },
        excluded_embed_metadata_keys=["quote_start", "quote_end", "support", "source"],
        excluded_llm_metadata_keys=["quote_start", "quote_end", "support", "source", "doc_id"],
    )


class AttestRetriever(BaseRetriever):
    """Attest's hybrid retrieval (dense + BM25, recency, copies folded) as a LlamaIndex retriever."""

    def __init__(
        self,
        pipeline: Pipeline,
        filters: Filters | None = None,
        top_k: int | None = None,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager)
        self.pipeline = pipeline
        self.filters = filters
        self.top_k = top_k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        passages = self.pipeline.search(query_bundle.query_str, self.filters, top_k=self.top_k)
        return [NodeWithScore(node=passage_node(p), score=p.score) for p in passages]


class AttestQueryEngine(BaseQueryEngine):
    """Attest's cited answers as a LlamaIndex query engine."""

    def __init__(
        self,
        pipeline: Pipeline,
        filters: Filters | None = None,
        top_k: int | None = None,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager)
        self.pipeline = pipeline
        self.filters = filters
        self.top_k = top_k

    def _query(self, query_bundle: QueryBundle) -> Response:
        answer = self.pipeline.ask(query_bundle.query_str, self.filters, top_k=self.top_k)
        nodes = [NodeWithScore(node=citation_node(c), score=c.support) for c in answer.citations]
        return Response(response=answer.text, source_nodes=nodes, metadata=answer.to_dict())

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        return await asyncio.to_thread(self._query, query_bundle)

    def _get_prompt_modules(self) -> dict[str, Any]:
        return {}  # Attest's prompts are its own (rag/prompt.py), not LlamaIndex prompt templates
