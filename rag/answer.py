"""Question -> retrieved passages -> (LLM) -> validated, cited answer.

If no passage is relevant enough, the answer is "not in the corpus" and the LLM is not called.
"""

from __future__ import annotations

import time
from dataclasses import replace

from index.embedding import Embedder
from index.settings import Settings
from rag import passages as passage_builder
from rag import prompt
from rag.citations import CitationValidator, Draft, ReplyError, judge_sentences, parse_reply
from rag.judge import Judge
from rag.llm import LLM, OnToken
from rag.retrieve import Retriever
from rag.types import Answer, AnswerSentence, Filters, Passage, SearchInfo


class Answerer:
    def __init__(
        self, settings: Settings, retriever: Retriever, llm: LLM, embedder: Embedder, judge: Judge | None = None
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.llm = llm
        self.embedder = embedder
        self.validator = CitationValidator(embedder, settings.min_support)
        self.judge = judge  # the claim checker's judge re-reads each sentence against its quotes

    def ask(
        self, question: str, filters: Filters | None = None, top_k: int | None = None, on_token: OnToken | None = None
    ) -> Answer:
        question = " ".join(question.split())
        if not question:
            raise ValueError('the question is empty; ask something, e.g. attest ask "What did the Kremlin say?"')
        filters = filters or Filters()
        top_k = top_k or self.settings.top_k
        timings: dict[str, float] = {}
        started = time.perf_counter()

        self.retriever.check_ready()
        hits = self.retriever.search(question, top_k, filters)
        aliases = self.retriever.acronyms([h.text for h in hits])
        passages = passage_builder.build(
            hits, question, self.embedder, self.settings.prompt_sentences_per_passage, aliases
        )
        timings["retrieve"] = time.perf_counter() - started
        best = max((p.relevance for p in passages), default=0.0)
        searched = SearchInfo(
            question, filters.describe(), top_k, len(passages), round(best, 3), self.settings.min_relevance
        )
        relevant = [p for p in passages if p.relevance >= self.settings.min_relevance]
        relevant = [replace(p, number=n) for n, p in enumerate(relevant, start=1)]
        sentences: list[AnswerSentence] = []
        notes: list[str] = []
        if not relevant:
            notes.append("No passage was relevant enough; the LLM was not asked.")
        else:
            drafts = self._draft(question, relevant, timings, started, on_token, notes)
            if drafts:
                sentences, validation_notes = self.validator.validate(drafts, relevant, aliases)
                notes.extend(validation_notes)
            if sentences and self.judge is not None:
                judged_at = time.perf_counter()
                sentences, judge_notes = judge_sentences(self.judge, sentences, self.settings.min_support, aliases)
                notes.extend(judge_notes)
                timings["judge"] = time.perf_counter() - judged_at
            if sentences and not any(s.supported for s in sentences):
                notes.append("No sentence of the model's answer is supported by the corpus, so none is shown.")
                sentences = []
        status = Answer.ANSWERED if sentences else Answer.NOT_FOUND
        timings["total"] = time.perf_counter() - started
        model = self.llm.name if relevant else ""
        return Answer(question, status, sentences, searched, notes=notes, model=model, timings=timings)

    def _draft(
        self,
        question: str,
        passages: list[Passage],
        timings: dict[str, float],
        started: float,
        on_token: OnToken | None,
        notes: list[str],
    ) -> list[Draft]:
        """Ask the LLM; its draft sentences with the passage numbers they cite ([] if none)."""
        first_token: list[float] = []

        def tap(piece: str) -> None:
            if not first_token:
                first_token.append(time.perf_counter() - started)
            if on_token:
                on_token(piece)

        generation_started = time.perf_counter()
        raw = self.llm.complete(
            prompt.messages(question, passages),
            schema=prompt.schema([p.number for p in passages]),
            max_tokens=self.settings.llm_max_tokens,
            on_token=tap,
        )
        timings["generate"] = time.perf_counter() - generation_started
        if first_token:
            timings["first_token"] = first_token[0]
        try:
            found, drafts = parse_reply(raw)
        except ReplyError as exc:
            notes.append(f"The model's reply could not be read ({exc}); nothing from it is shown.")
            return []
        if not found:
            notes.append("The model found no answer in the passages.")
            return []
        return drafts
