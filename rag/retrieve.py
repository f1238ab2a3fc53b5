"""Hybrid retrieval: dense (Chroma, through index/store.py) and BM25 (bm25s) over the same chunks,
fused by reciprocal rank, with near-duplicate chunks collapsed.

- Dense: the query is embedded once with the index's own embedder; Chroma returns the ids of the
  nearest neighbours and a filter keeps the allowed ones (their dates and outlets are in the BM25
  rows), or (a narrow filter) becomes Chroma's metadata pre-filter. Only the chunks that make the
  fused head are then read, dense and BM25 candidates in one call (Chroma's reads cost per record).
- BM25: index/bm25.py; the same filters become a mask over its rows.
- Fusion (rag/fusion.py): ``1/(rrf_k + dense rank) + bm25_weight/(rrf_k + BM25 rank)``, then a
  recency prior relative to the as-of date or the newest article (``ATTEST_RECENCY_HALF_LIFE_DAYS``,
  30 by default, 0 for none), skipped for a query that names a year.
- Copies (rag/dedupe.py): a chunk whose sentences a better-ranked chunk already holds (a syndicated
  copy, a page saved twice) is folded into that hit's ``copies``.

``ATTEST_RETRIEVAL_MODE=dense`` or ``bm25`` uses one side only (the eval's baselines).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.acronyms import acronyms as lexical_acronyms
from index.acronyms import spelled_out, used
from index.bm25 import Bm25View, LexicalIndex
from index.embedding import Embedder
from index.records import date_number
from index.settings import Settings
from index.store import Store
from index.types import StoredChunk
from rag import dedupe, fusion
from rag.rerank import LLMReranker
from rag.types import ArticleRef, Filters

MODES = ("hybrid", "dense", "bm25")
# Dense search asks Chroma for the ids of the nearest chunks, unfiltered, and keeps those a filter
# allows (their dates and outlets are in the BM25 rows), instead of Chroma's metadata pre-filter,
# whose cost grows with the chunks the filter keeps (bench/scale.py). With a filter it asks for
# candidates / (share of chunks allowed) x 1.5 + 20 neighbours, up to this many; a narrower filter
# (then the pre-filter keeps few chunks and is cheap) or too few survivors use the pre-filter.
POST_FILTER_MAX_NEIGHBOURS = 4000


class RetrievalError(RuntimeError):
    pass


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk: its article, where it sits in the article's text, and how it ranked."""

    chunk_id: str
    article: ArticleRef
    start: int
    end: int
    text: str
    score: float  # cosine similarity of the chunk to the query
    fused: float = 0.0  # the fusion score that ranked it (after the recency prior)
    dense_rank: int | None = None  # 1-based rank among the dense candidates; None: not among them
    bm25_rank: int | None = None
    copies: tuple[StoredChunk, ...] = ()  # near-duplicates folded into this hit


@dataclass
class _Candidate:
    chunk_id: str
    chunk: StoredChunk | None = None  # None until read from the store (BM25 gives only the id)
    cosine: float | None = None
    dense_rank: int | None = None
    bm25_rank: int | None = None

    @property
    def published_at(self) -> str:
        return self.chunk.article.published_at if self.chunk is not None else ""


@dataclass(frozen=True)
class _Found:
    candidate: _Candidate
    chunk: StoredChunk


class Retriever:
    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        mode: str | None = None,
        lexical: LexicalIndex | None = None,
        *,
        settings: Settings | None = None,
        reranker: LLMReranker | None = None,
        excluded: frozenset[str] = frozenset(),
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings or store.settings
        self.mode = mode or self.settings.retrieval_mode
        if self.mode not in MODES:
            raise ValueError(f"unknown retrieval mode {self.mode!r}; use one of {', '.join(MODES)}")
        self._lexical = lexical
        self.excluded = excluded  # articles this view must not return
        self._checked: tuple[int, int] | None = None  # (articles, chunks) when check_ready last passed
        self._warmed = False  # check_ready has loaded the models once
        self.reranker = reranker  # used when settings.rerank == "llm"

    @property
    def lexical(self) -> LexicalIndex:
        if self._lexical is None:
            self._lexical = LexicalIndex.for_store(self.store)
        return self._lexical

    def without(self, doc_ids: set[str] | frozenset[str]) -> Retriever:
        """The same index, searched as if these articles had been removed from it."""
        excluded = self.excluded | frozenset(doc_ids)
        return Retriever(
            self.store,
            self.embedder,
            self.mode,
            self._lexical,
            settings=self.settings,
            reranker=self.reranker,
            excluded=excluded,
        )

    def with_settings(self, reranker: LLMReranker | None = None, **changes: Any) -> Retriever:
        """The same index searched with other retrieval settings (mode, candidates, recency...);
        ``reranker`` (else this one's) reorders when those settings say ``rerank="llm"``."""
        settings = self.settings.model_copy(update=changes)
        mode = changes.get("retrieval_mode", self.mode)
        return Retriever(
            self.store,
            self.embedder,
            mode,
            self._lexical,
            settings=settings,
            reranker=reranker or self.reranker,
            excluded=self.excluded,
        )

    def acronyms(self, texts: list[str], used_in: str = "") -> dict[str, str]:
        """Acronym -> long form: those ``texts`` define, else as the indexed articles define them
        (so "SCO" matches "Shanghai Cooperation Organization" in a passage that never spells it out);
        an acronym of ``used_in`` (a claim, a question) that neither defines is taken from ``texts``
        when they spell it out ("USWNT": "United States Women's National Team")."""
        known = dict(self.lexical.view().aliases) if self.lexical.count() else {}
        known.update(lexical_acronyms(texts))
        if used_in:
            known.update(spelled_out([a for a in used(used_in) if a not in known], texts))
        return known

    def article_texts(self, doc_ids: list[str]) -> dict[str, str]:
        """doc_id -> the whole text of these indexed articles (to read what a cited passage is part of)."""
        return self.store.article_texts(doc_ids)

    def check_ready(self) -> None:
        """The index is not empty, was built with this embedder, and BM25 holds its chunks. The
        embedder check asks Chroma for the distinct index keys (a few small queries, not a read of
        every article's record); it is redone only when the article or chunk count has changed.

        The first call counts the chunks on a thread: Chroma's first read of a collection loads its
        vector index (3 s at 1M chunks, without holding the GIL), and meanwhile the saved BM25
        matrix and the embedder's model are loaded, which the first search needs anyway."""
        if self._warmed:
            chunks = self._chunk_count()
        else:
            with ThreadPoolExecutor(1) as pool:
                counting = pool.submit(self._chunk_count)
                if self.mode != "dense":
                    self.lexical.preload()
                warm_up = getattr(self.embedder, "warm_up", None)
                if warm_up is not None:
                    warm_up()
                chunks = counting.result()
            self._warmed = True
        if chunks == 0:
            raise RetrievalError(f"the index at {self.store.location} is empty; run: attest ingest [PATHS]")
        state = (self.store.document_count(), chunks)
        if state != self._checked:
            built_with = {key.split(" | ")[0] for key in self.store.index_keys()}
            if built_with and built_with != {self.embedder.name}:
                raise RetrievalError(
                    f"the index was built with {', '.join(sorted(built_with))}, not {self.embedder.name}; "
                    "re-run: attest ingest"
                )
            self._checked = state
        if self.mode != "dense" and self.lexical.count() != chunks:
            self.lexical.sync(self.store)  # an index from before BM25, or an interrupted ingest

    def _chunk_count(self) -> int:
        return self.store.chunk_count() if self.store.exists() else 0

    # -- search -------------------------------------------------------------------------------
    def search(self, query: str, top_k: int, filters: Filters | None = None) -> list[Hit]:
        filters = filters or Filters()
        if not query.strip() or top_k < 1:
            return []
        view = self.lexical.view() if self.mode != "dense" else None
        outlets = self._outlets(filters, view)
        if outlets == []:
            return []  # no indexed outlet matches: nothing can
        reranker = self.reranker if self.settings.rerank == "llm" else None
        keep = max(top_k, self.settings.rerank_candidates) if reranker is not None else top_k
        n = max(self.settings.retrieval_candidates, 2 * keep)
        vector = self.embedder.embed([query])[0]
        candidates: dict[str, _Candidate] = {}
        rankings: list[list[str]] = []
        weights: list[float] = []
        if self.mode != "bm25":
            post = self._dense_from_neighbours(vector, n, view, self._allowed(view, filters, outlets), candidates)
            rankings.append(post if post is not None else self._dense(vector, n, filters, outlets, candidates))
            weights.append(1.0)
        if view is not None:
            rankings.append(self._bm25(view, query, n, filters, outlets, candidates))
            weights.append(self.settings.bm25_weight)
        scores = fusion.reciprocal_rank(rankings, weights, self.settings.rrf_k)
        # Read the chunks that may make the cut (copies need text): a candidate whose article is
        # incomplete or was deleted since the BM25 rows were read has no chunk and drops out.
        head = fusion.ordered(scores)[: max(3 * keep, keep + 10)]
        self._fill(vector, [candidates[c] for c in head if candidates[c].chunk is None])
        reference = self._reference_date(filters, view)
        half_life = self.settings.recency_half_life_days
        if half_life > 0 and reference and not fusion.names_a_year(query):
            for chunk_id in head:
                published = candidates[chunk_id].published_at
                scores[chunk_id] *= fusion.recency_factor(published, reference, half_life)
            head = fusion.ordered({c: scores[c] for c in head})
        found = [_Found(c, chunk) for c in (candidates[i] for i in head) if (chunk := c.chunk) is not None]
        groups = dedupe.collapse(found, _dedupe_text, self.settings.dedupe_threshold, limit=keep)
        if reranker is not None:
            groups = reranker.rerank(query, [(f"{g[0].chunk.article.title}\n{g[0].chunk.text}", g) for g in groups])
        groups = groups[:top_k]
        return [self._hit(best, copies, scores[best.chunk.chunk_id]) for best, copies in groups]

    def _hit(self, best: _Found, copies: list[_Found], fused: float) -> Hit:
        c, chunk = best.candidate, best.chunk
        cosine = c.cosine if c.cosine is not None else -1.0
        folded = tuple(f.chunk for f in copies)
        return Hit(
            chunk.chunk_id,
            chunk.article,
            chunk.start,
            chunk.end,
            chunk.text,
            cosine,
            fused,
            c.dense_rank,
            c.bm25_rank,
            folded,
        )

    def _dense(
        self, vector: np.ndarray, n: int, filters: Filters, outlets: list[str] | None, out: dict[str, _Candidate]
    ) -> list[str]:
        """The dense ranking with Chroma's metadata pre-filter (or no filter)."""
        found = self.store.nearest_chunks(
            vector,
            n,
            outlets=outlets,
            since=filters.since or "",
            until=_latest(filters) or "",
            excluded=self.excluded,
        )
        ranking = []
        for rank, (chunk, cosine) in enumerate(found, start=1):
            candidate = out.setdefault(chunk.chunk_id, _Candidate(chunk.chunk_id))
            candidate.chunk, candidate.cosine, candidate.dense_rank = chunk, cosine, rank
            ranking.append(chunk.chunk_id)
        return ranking

    def _bm25(
        self,
        view: Bm25View,
        query: str,
        n: int,
        filters: Filters,
        outlets: list[str] | None,
        out: dict[str, _Candidate],
    ) -> list[str]:
        if not len(view):
            return []
        allowed = self._allowed(view, filters, outlets)
        ranking = []
        for rank, (row, _) in enumerate(view.top(query, n, allowed), start=1):
            chunk_id = str(view.chunk_ids[row])
            out.setdefault(chunk_id, _Candidate(chunk_id)).bm25_rank = rank
            ranking.append(chunk_id)
        return ranking

    def _allowed(self, view: Bm25View | None, filters: Filters, outlets: list[str] | None) -> np.ndarray | None:
        """Which BM25 rows (all chunks) the filters allow; None: no filter (or no rows)."""
        if view is None or not len(view):
            return None
        latest = _latest(filters)
        if outlets is None and not filters.since and not latest and not self.excluded:
            return None
        allowed = np.ones(len(view), dtype=bool)
        if outlets is not None:
            allowed &= np.isin(view.outlets, outlets)
        if filters.since:
            allowed &= view.days >= date_number(filters.since)
        if latest:
            allowed &= view.days <= date_number(latest)
        if self.excluded:
            allowed &= ~np.isin(view.doc_ids, list(self.excluded))
        return allowed

    def _dense_from_neighbours(
        self,
        vector: np.ndarray,
        n: int,
        view: Bm25View | None,
        allowed: np.ndarray | None,
        out: dict[str, _Candidate],
    ) -> list[str] | None:
        """The dense ranking from the ids of the unfiltered nearest neighbours (nothing else is
        read here), kept to those the filter ``allowed`` (None: no filter) lets through; None when
        there are no BM25 rows or the filter is too narrow for this, and Chroma's pre-filter runs."""
        if view is None or not len(view):
            return None
        share = 1.0 if allowed is None else float(np.count_nonzero(allowed)) / len(view)
        if share == 0.0:
            return []
        wanted = min(len(view), int(n / share * 1.5) + 20 if allowed is not None else n + 20)
        if wanted > POST_FILTER_MAX_NEIGHBOURS:
            return None
        found = self.store.nearest(vector, wanted)
        ids = np.array([chunk_id for chunk_id, _ in found], dtype=view.chunk_ids.dtype)
        rows = np.clip(np.searchsorted(view.chunk_ids, ids), 0, len(view) - 1)
        keep = view.chunk_ids[rows] == ids  # a chunk written since the rows were read is left out
        if allowed is not None:
            keep &= allowed[rows]
        picked = [_Candidate(chunk_id, cosine=cosine) for chunk_id, cosine in (found[i] for i in np.flatnonzero(keep))]
        if len(picked) < n and wanted < len(view):
            return None  # too few survivors among the neighbours asked for
        ranking = []
        for rank, candidate in enumerate(picked[:n], start=1):
            merged = out.setdefault(candidate.chunk_id, candidate)
            merged.cosine, merged.dense_rank = candidate.cosine, rank
            ranking.append(candidate.chunk_id)
        return ranking

    def _fill(self, vector: np.ndarray, missing: list[_Candidate]) -> None:
        """The stored chunk and cosine of candidates that only BM25 found (or only their ids)."""
        if not missing:
            return
        chunks = {chunk.chunk_id: chunk for chunk in self.store.chunk_records([c.chunk_id for c in missing])}
        vectors = self.store.chunk_embeddings([c.chunk_id for c in missing if c.cosine is None])
        for candidate in missing:
            candidate.chunk = chunks.get(candidate.chunk_id)  # None: deleted since the BM25 rows were read
            if candidate.chunk is not None and candidate.chunk_id in vectors:
                candidate.cosine = float(vectors[candidate.chunk_id] @ vector)

    # -- filters ------------------------------------------------------------------------------
    def _outlets(self, filters: Filters, view: Bm25View | None) -> list[str] | None:
        """Indexed outlets whose name contains ``filters.outlet`` (None: no outlet filter)."""
        if not filters.outlet:
            return None
        wanted = filters.outlet.lower()
        if view is not None and len(view):
            known = {str(o) for o in np.unique(view.outlets)}
        else:
            known = {d.meta.outlet for d in self.store.documents()}
        return sorted(o for o in known if o and wanted in o.lower())

    def reference_date(self, filters: Filters) -> str:
        """What "this week" counts back from: the as-of (or until) date, else the newest article's."""
        return self._reference_date(filters, self.lexical.view() if self.lexical.count() else None)

    def _reference_date(self, filters: Filters, view: Bm25View | None) -> str:
        """The date recency is measured from: the as-of (or until) date, else the newest article."""
        latest = _latest(filters)
        if latest:
            return latest
        if view is not None and len(view):
            newest = int(view.days.max())
            return f"{newest // 10000:04d}-{newest // 100 % 100:02d}-{newest % 100:02d}" if newest else ""
        return ""


def _latest(filters: Filters) -> str | None:
    return min((d for d in (filters.until, filters.as_of) if d), default=None)


def _dedupe_text(found: _Found) -> str:
    # The title counts: pages that share only boilerplate (a cookie notice) are different stories.
    return f"{found.chunk.article.title}\n{found.chunk.text}"
