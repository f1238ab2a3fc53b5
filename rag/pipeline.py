"""Wires the components for one :class:`Settings`: store, embedder, LLM, ingestor, answerer.

Every heavy piece (Chroma, the embedder, the LLM) is created on first use, so ``attest info``
or a failing argument never loads a model.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

from index.cpu import CpuBudget
from index.embedding import Embedder
from index.ingest import Ingestor, IngestReport, OnProgress
from index.settings import Settings
from index.store import Store
from rag import models
from rag import passages as passage_builder
from rag.answer import Answerer, OnEvidence
from rag.check import CheckReport, ClaimChecker
from rag.followup import FollowUp
from rag.judge import Judge
from rag.llm import LLM, OnToken
from rag.rerank import LLMReranker
from rag.retrieve import Retriever
from rag.types import Answer, Filters, Passage


class Pipeline:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, llm: LLM | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._llm = llm

    @cached_property
    def store(self) -> Store:
        return Store(self.settings)

    @cached_property
    def budget(self) -> CpuBudget:
        return models.make_budget(self.settings)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = models.make_embedder(self.settings, self.budget)
        return self._embedder

    @property
    def llm(self) -> LLM:
        if self._llm is None:
            self._llm = models.make_llm(self.settings, self.budget)
        return self._llm

    @cached_property
    def retriever(self) -> Retriever:
        reranker = None
        if self.settings.rerank == "llm":
            reranker = LLMReranker(self.llm, candidates=self.settings.rerank_candidates)
        return Retriever(self.store, self.embedder, reranker=reranker)

    @cached_property
    def judge(self) -> Judge:
        return models.make_judge(self.settings, lambda: self.llm)

    @cached_property
    def checker(self) -> ClaimChecker:
        return ClaimChecker(self.settings, self.retriever, self.embedder, self.judge)

    @cached_property
    def followup(self) -> FollowUp:
        """Rewrites follow-up questions into stand-alone ones (rag/conversation.py uses it)."""
        return FollowUp(self.llm)

    @cached_property
    def answerer(self) -> Answerer:
        judge = self.judge if self.settings.judge_answers else None
        return Answerer(self.settings, self.retriever, self.llm, self.embedder, judge)

    def ingest(
        self, paths: Iterable[Path], progress: bool = False, on_progress: OnProgress | None = None
    ) -> IngestReport:
        return Ingestor(self.settings, self.store, self.embedder).ingest(paths, progress, on_progress)

    def delete(self, doc_id: str) -> None:
        """Remove one article from the index (Chroma and BM25 together, through the ingestor)."""
        Ingestor(self.settings, self.store, self.embedder).delete(doc_id)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        on_token: OnToken | None = None,
        on_evidence: OnEvidence | None = None,
    ) -> Answer:
        with self.budget.foreground():  # an ingest's embedding waits while a person waits for this
            return self.answerer.ask(question, filters=filters, top_k=top_k, on_token=on_token, on_evidence=on_evidence)

    def warm_up(self) -> None:
        """Start loading the answering model in the background, if it is local and not loaded yet,
        and the judge's contradiction model when answers are judged: ``attest serve`` calls this at
        start, so that the first question does not wait for either.
        (Calling it at the start of every fresh ``attest ask``, to overlap the load with retrieval,
        did not make fresh processes faster in bench/answer_speed.py: 17.7 vs 17.5 s, so it is not.)"""
        preload = getattr(self.llm, "preload", None)
        if preload is not None:
            preload()
        judge_preload = getattr(self.judge, "preload", None) if self.settings.judge_answers else None
        if judge_preload is not None:
            judge_preload()

    def search(self, query: str, filters: Filters | None = None, top_k: int | None = None) -> list[Passage]:
        """The passages that best match ``query`` (numbered 1..n, best first), each with its
        best-matching sentences (verbatim, with offsets into the article) as ``sentences``."""
        query = " ".join(query.split())
        if not query:
            raise ValueError("the search query is empty; give some words to search for")
        with self.budget.foreground():
            self.retriever.check_ready()
            hits = self.retriever.search(query, top_k or self.settings.top_k, filters)
            aliases = self.retriever.acronyms([h.text for h in hits])
            per_passage = self.settings.prompt_sentences_per_passage
            return passage_builder.build(hits, query, self.embedder, per_passage, aliases)

    def check(self, text: str, filters: Filters | None = None) -> CheckReport:
        with self.budget.foreground():
            return self.checker.check(text, filters=filters)

    def info(self) -> dict[str, Any]:
        llm_name = self._llm.name if self._llm is not None else _llm_label(self.settings)
        return {
            "index": self.store.describe(),
            "data_dir": str(self.settings.data_dir),
            "embedder": self.embedder.name,
            "llm": llm_name,
            "model_cache_dir": str(self.settings.model_cache_dir),
        }


def _llm_label(settings: Settings) -> str:
    if settings.llm_backend == "openai":
        return f"{settings.openai_model} (OpenAI-compatible at {settings.openai_base_url or 'api.openai.com'})"
    from rag import local_model

    return str(settings.local_model_path or local_model.NAME)
