"""LlamaIndex's ``CitationQueryEngine`` over Attest's own Chroma collection, with Attest's local LLM
and embedder, on LlamaIndex's defaults: the baseline that bench/answer_speed.py and
bench/answer_quality.py put beside Attest.

Only the two adapters are Attest's: :class:`ChunkRetriever`, LlamaIndex's default dense retrieval
(the ``similarity_top_k=2`` chunks nearest to the question, by cosine, with the packaged embedder)
read through index/store.py, each chunk a ``TextNode`` with its stored metadata as LlamaIndex's
``ChromaVectorStore`` rebuilt it; and Attest's LLM (the packaged GGUF on llama.cpp, or an
OpenAI-compatible server) as a LlamaIndex ``CustomLLM`` whose prompts are sent as one user message.
Citation chunking (512 tokens), prompts and answer synthesis are LlamaIndex's.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.constants import DEFAULT_SIMILARITY_TOP_K
from llama_index.core.llms import CompletionResponse, CompletionResponseGen, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode
from pydantic import PrivateAttr

from index.records import CHUNK_KEYS
from index.settings import Settings
from index.store import Store
from index.types import StoredChunk
from rag.pipeline import Pipeline

_MARKER = re.compile(r"\[(\d+)\]")


def chunk_node(chunk: StoredChunk, stored: dict[str, Any]) -> TextNode:
    """A stored chunk as the node ``ChromaVectorStore`` wrote and read back: its text, offsets and
    article, and Attest's metadata keys in the order they were written (``CitationQueryEngine``
    shows every key of a node in its prompts, so the order is part of the prompt)."""
    return TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        start_char_idx=chunk.start,
        end_char_idx=chunk.end,
        metadata={key: stored[key] for key in CHUNK_KEYS if key in stored},
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.article.doc_id)},
    )


class ChunkRetriever(BaseRetriever):
    """The chunks nearest to the question (complete articles only), as LlamaIndex nodes."""

    def __init__(self, store: Store, embedder: Any, similarity_top_k: int = DEFAULT_SIMILARITY_TOP_K) -> None:
        super().__init__()
        self._store = store
        self._embedder = embedder
        self._top_k = similarity_top_k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        vector = self._embedder.embed([query_bundle.query_str])[0]
        hits = self._store.nearest_chunks(vector, self._top_k)
        stored = self._store.chunk_metadatas([chunk.chunk_id for chunk, _ in hits])
        return [NodeWithScore(node=chunk_node(c, stored.get(c.chunk_id, {})), score=score) for c, score in hits]


class AttestLLM(CustomLLM):
    """Attest's configured LLM behind LlamaIndex's LLM interface (a prompt -> one user message)."""

    context_window: int = 4096
    num_output: int = 256
    _llm: Any = PrivateAttr()

    def __init__(self, llm: Any, context_window: int = 4096, num_output: int = 256) -> None:
        super().__init__(context_window=context_window, num_output=num_output)
        self._llm = llm

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.context_window, num_output=self.num_output, model_name=self._llm.name)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        text = self._llm.complete([{"role": "user", "content": prompt}], max_tokens=self.num_output)
        return CompletionResponse(text=text)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        yield self.complete(prompt, formatted=formatted, **kwargs)


@dataclass
class EngineAnswer:
    text: str
    sources: list[dict[str, Any]]  # LlamaIndex's numbered source nodes: text, outlet, date, doc id
    seconds: float
    sentences: list[tuple[str, list[int]]] = field(default_factory=list)  # text, cited source numbers


class CitationEngine:
    """``CitationQueryEngine(retriever, llm=...)`` on the pipeline's collection, defaults kept (what
    ``CitationQueryEngine.from_args(index, llm=...)`` builds over a vector index of it)."""

    def __init__(self, pipeline: Pipeline) -> None:
        from llama_index.core.query_engine import CitationQueryEngine

        settings: Settings = pipeline.settings
        self.retriever = ChunkRetriever(pipeline.store, pipeline.embedder)
        self.llm = AttestLLM(pipeline.llm, context_window=settings.llm_context)
        self.engine = CitationQueryEngine(self.retriever, llm=self.llm)

    def ask(self, question: str) -> EngineAnswer:
        started = time.perf_counter()
        response = self.engine.query(question)
        seconds = time.perf_counter() - started
        sources = []
        for node in response.source_nodes:
            meta = node.node.metadata or {}
            sources.append(
                {
                    "text": node.node.get_content(),
                    "outlet": meta.get("outlet", ""),
                    "published_at": meta.get("published_at", ""),
                    "doc_id": meta.get("doc_id", ""),
                    "source": meta.get("source", ""),
                }
            )
        text = str(response.response or "").strip()
        return EngineAnswer(text, sources, seconds, split_cited(text))


def split_cited(text: str) -> list[tuple[str, list[int]]]:
    """Sentences of a CitationQueryEngine answer with the source numbers each cites ("Source 1" = 1)."""
    out = []
    for part in re.split(r"(?<=[.!?])\s+(?=[A-Z\[])", text.strip()):
        cited = [int(n) for n in _MARKER.findall(part)]
        clean = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(_MARKER.sub("", part).split()))
        if clean:
            out.append((clean, cited))
    return out
