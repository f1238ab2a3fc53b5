"""Dense retrieval over the Chroma chunk collection, through LlamaIndex's vector index.

The embedder is passed explicitly (LlamaIndex's global ``Settings`` is never consulted, so it
never reaches for OpenAI). Filters become Chroma ``where`` clauses on chunk metadata.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.vector_stores.types import FilterOperator, MetadataFilter, MetadataFilters
from pydantic import PrivateAttr

from index.embedding import Embedder
from index.store import Store, date_number
from rag.types import Filters


class RetrievalError(RuntimeError):
    pass


class LlamaIndexEmbedding(BaseEmbedding):
    """Adapts an Attest :class:`Embedder` to LlamaIndex's embedding interface."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=32)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._embedder.embed([query])[0]]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_query_embedding(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    text: str
    metadata: dict[str, Any]
    score: float  # cosine similarity


class Retriever:
    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder
        self._index: Any = None

    def _vector_index(self) -> Any:
        if self._index is None:
            from llama_index.core import VectorStoreIndex

            self._index = VectorStoreIndex.from_vector_store(
                self.store.vector_store(), embed_model=LlamaIndexEmbedding(self.embedder)
            )
        return self._index

    def check_ready(self) -> None:
        if not self.store.exists() or self.store.chunk_count() == 0:
            raise RetrievalError(f"the index at {self.store.location} is empty; run: attest ingest [PATHS]")
        built_with = {d.index_key.split(" | ")[0] for d in self.store.documents()}
        if built_with and built_with != {self.embedder.name}:
            raise RetrievalError(
                f"the index was built with {', '.join(sorted(built_with))}, not {self.embedder.name}; "
                "re-run: attest ingest"
            )

    def search(self, query: str, top_k: int, filters: Filters | None = None) -> list[Hit]:
        metadata_filters = self.metadata_filters(filters or Filters())
        if metadata_filters is False:
            return []
        retriever = self._vector_index().as_retriever(similarity_top_k=top_k, filters=metadata_filters or None)
        hits = []
        for scored in retriever.retrieve(query):
            node = scored.node
            similarity = scored.score if scored.score is not None else 0.0
            # ChromaVectorStore reports exp(-distance); the collection's distance is 1 - cosine.
            cosine = 1.0 + math.log(similarity) if similarity > 0 else -1.0
            hits.append(Hit(node.node_id, node.get_content(), dict(node.metadata), cosine))
        return hits

    def metadata_filters(self, filters: Filters) -> MetadataFilters | None | bool:
        """Chroma filters for ``filters``; ``False`` when no article can match (unknown outlet)."""
        parts: list[MetadataFilter] = []
        if filters.outlet:
            wanted = filters.outlet.lower()
            outlets = sorted({d.meta.outlet for d in self.store.documents() if wanted in d.meta.outlet.lower()})
            if not outlets:
                return False
            parts.append(MetadataFilter(key="outlet", value=outlets, operator=FilterOperator.IN))
        if filters.since:
            parts.append(
                MetadataFilter(key="published_day", value=date_number(filters.since), operator=FilterOperator.GTE)
            )
        latest = min((d for d in (filters.until, filters.as_of) if d), default=None)
        if latest:
            parts.append(MetadataFilter(key="published_day", value=date_number(latest), operator=FilterOperator.LTE))
        return MetadataFilters(filters=parts) if parts else None  # type: ignore[arg-type]
