"""LlamaIndex's ``CitationQueryEngine`` over Attest's own Chroma collection, with Attest's local LLM
and embedder, on LlamaIndex's defaults: the baseline that bench/answer_speed.py and
bench/answer_quality.py put beside Attest.

Only the two adapters are Attest's: the packaged embedder as a LlamaIndex ``BaseEmbedding`` and
Attest's LLM (the packaged GGUF on llama.cpp, or an OpenAI-compatible server) as a LlamaIndex
``CustomLLM`` whose prompts are sent as one user message. Retrieval (``similarity_top_k=2``),
citation chunking (512 tokens), prompts and answer synthesis are LlamaIndex's.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.llms import CompletionResponse, CompletionResponseGen, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import PrivateAttr

from index.settings import Settings
from rag.pipeline import Pipeline

_MARKER = re.compile(r"\[(\d+)\]")


class AttestEmbedding(BaseEmbedding):
    """The packaged MiniLM embedder, as LlamaIndex wants it."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Any) -> None:
        super().__init__(model_name=embedder.name)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._embedder.embed([query])[0]]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_query_embedding(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


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
    """``CitationQueryEngine.from_args(index, llm=...)`` on the pipeline's collection, defaults kept."""

    def __init__(self, pipeline: Pipeline) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.vector_stores.chroma import ChromaVectorStore

        settings: Settings = pipeline.settings
        store = ChromaVectorStore(chroma_collection=pipeline.store.chunks)
        embed = AttestEmbedding(pipeline.embedder)
        index = VectorStoreIndex.from_vector_store(store, embed_model=embed)
        self.llm = AttestLLM(pipeline.llm, context_window=settings.llm_context)
        self.engine = CitationQueryEngine.from_args(index, llm=self.llm)

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
