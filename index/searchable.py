"""Search sees only complete articles. Ingest writes an article's chunks first and its record
(the completion mark) last; a crash or kill -9 in between leaves chunks whose article is not
marked complete, or is marked with another version (an update that did not finish). They stay
in Chroma until the next ingest reuses or deletes them, but no query returns them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from index.chroma_errors import server_errors
from index.store import Store


class CompleteOnly:
    """A vector store whose queries skip chunks of incomplete articles (written before a crash
    and not yet marked complete); everything else is the wrapped LlamaIndex store's."""

    def __init__(self, inner: Any, store: Store) -> None:
        self._inner = inner
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @server_errors
    def query(self, query: Any, **kwargs: Any) -> Any:
        from llama_index.core.vector_stores.types import VectorStoreQueryResult

        wanted = query.similarity_top_k
        result = self._inner.query(query, **kwargs)
        for attempt in range(3):
            nodes = list(result.nodes or [])
            keep = self._store.searchable([dict(n.metadata or {}) for n in nodes])
            dropped = keep.count(False)
            if not dropped or len(nodes) < query.similarity_top_k or attempt == 2:
                break  # nothing hidden, or the collection is exhausted: no point asking for more
            query = replace(query, similarity_top_k=query.similarity_top_k + 2 * dropped + wanted)
            result = self._inner.query(query, **kwargs)
        sims = list(result.similarities or [None] * len(nodes))
        ids = list(result.ids or [n.node_id for n in nodes])
        picked = [i for i, ok in enumerate(keep) if ok][:wanted]
        return VectorStoreQueryResult(
            nodes=[nodes[i] for i in picked],
            similarities=[sims[i] for i in picked] if result.similarities is not None else None,
            ids=[ids[i] for i in picked],
        )
