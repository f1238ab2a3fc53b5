"""Question -> retrieved passages -> numbered evidence sentences -> (LLM) -> validated, cited answer.

Evidence comes first: the best-matching verbatim sentences are ready (and handed to
``on_evidence``, so an interface can show them) before the model writes a word. If no passage is
relevant enough, the answer is "not in the corpus" and the LLM is not called. The model writes its
answer in the evidence's words and the numbers of the sentences that state it; every citation is
validated (rag/citations.py) and, where a longer answer does not restate its quote, re-read by
the judge; an answer whose cited articles are about something other than what the question names
is withheld (rag/answer_scope.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace

from index.embedding import Embedder
from index.settings import Settings
from rag import answer_kind, answer_span, llm_json, prompt, timeframe
from rag import passages as passage_builder
from rag.answer_scope import CitedArticle, off_topic
from rag.citations import (
    CitationValidator,
    Draft,
    Reply,
    ReplyError,
    judge_sentences,
    parse_reply,
)
from rag.containment import contains, echoes, given_words, is_short
from rag.judge import Judge
from rag.llm import LLM, OnToken
from rag.retrieve import Hit, Retriever
from rag.timeframe import Frame
from rag.types import Answer, AnswerSentence, Evidence, Filters, SearchInfo

OnEvidence = Callable[[list[Evidence]], None]

MAX_QUESTION_CHARS = 2000
_SHORT_STARTED = re.compile(r'"answer"\s*:\s*"[^"\s]')


class Answerer:
    def __init__(
        self, settings: Settings, retriever: Retriever, llm: LLM, embedder: Embedder, judge: Judge | None = None
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.llm = llm
        self.embedder = embedder
        self.validator = CitationValidator(embedder, settings.min_support)
        self.judge = judge  # the claim checker's judge re-reads sentences that do not restate their quotes

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        on_token: OnToken | None = None,
        on_evidence: OnEvidence | None = None,
    ) -> Answer:
        question = " ".join(question.split())
        if not question:
            raise ValueError('the question is empty; ask something, e.g. attest ask "What did the Kremlin say?"')
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(
                f"the question is {len(question):,} characters long; ask it in at most {MAX_QUESTION_CHARS:,} "
                "(to check a long text claim by claim, use attest check --file)"
            )
        s = self.settings
        filters = filters or Filters()
        top_k = top_k or s.top_k
        timings: dict[str, float] = {}
        started = time.perf_counter()

        older, window, aliases, scored, shown = self.evidence(question, filters, top_k)
        timings["retrieve"] = timings["evidence"] = time.perf_counter() - started
        best = max((x.passage.relevance for x in scored), default=0.0)
        described = filters.describe() | ({"time": window.describe()} if window else {})
        searched = SearchInfo(question, described, top_k, len(scored), round(best, 3), s.min_relevance)
        if shown and on_evidence:
            on_evidence(shown)
        sentences: list[AnswerSentence] = []
        notes: list[str] = []
        short = ""
        generation: dict[str, float] = {}
        if older and window:
            notes.append(
                f"Left out {len(older)} passage(s) published before {window.start}: the question asks about "
                f"\u201c{window.phrase}\u201d" + (f" (up to {window.end})." if window.end else ".")
            )
        if not shown:
            notes.append("No passage was relevant enough; the LLM was not asked.")
        else:
            reply = self._draft(question, shown, timings, started, on_token, notes, generation)
            sentences = self._checked(reply.drafts, shown, aliases, question, timings, notes)
            copied = "" if any(x.supported for x in sentences) else answer_span.publication_date(reply.short, shown)
            if copied:
                notes.append(
                    f"The model answered with the publication date of an article it was shown ({copied}), which "
                    "no cited sentence states; it was asked again with the articles' dates left out."
                )
                reply = self._draft(question, shown, timings, started, None, notes, generation, dated=False)
                sentences = self._checked(reply.drafts, shown, aliases, question, timings, notes)
            span = self._unsupported_sentence_span(reply, sentences, aliases, question)
            if span:
                retried: list[str] = []
                drafts = [replace(reply.drafts[0], text=span)]
                spanned = self._checked(drafts, shown, aliases, question, timings, retried, fallback=False)
                if any(x.supported for x in spanned):
                    notes.append(
                        f"The model's sentence is not supported as written; what it says beyond the question, "
                        f"\u201c{span}\u201d, is."
                    )
                    notes.extend(retried)
                    sentences, reply = spanned, Reply(span, drafts)
            if sentences and not any(x.supported for x in sentences):
                notes.append("No sentence of the model's answer is supported by the corpus, so none is shown.")
                sentences = []
            scoped_at = time.perf_counter()
            reason = off_topic(question, reply.short, self._cited_articles(sentences), aliases) if sentences else ""
            timings["scope"] = time.perf_counter() - scoped_at
            if reason:
                notes.append(reason)
                sentences = []
            short = answer_kind.without_question_noun(
                _short_answer(reply.short, sentences, aliases, question), question
            )
            if reply.short and sentences and not short and is_short(reply.short):
                why = (
                    "it only repeats the question"
                    if echoes(reply.short, question, aliases)
                    else "no cited quote contains it"
                )
                notes.append(f"The short answer \u201c{reply.short}\u201d is not shown: {why}.")
        status = Answer.ANSWERED if sentences else Answer.NOT_FOUND
        timings["total"] = time.perf_counter() - started
        model = self.llm.name if shown else ""
        return Answer(
            question,
            status,
            sentences,
            searched,
            notes=notes,
            model=model,
            timings=timings,
            short=short,
            evidence=shown,
            generation=generation,
        )

    def evidence(
        self, question: str, filters: Filters, top_k: int
    ) -> tuple[list[Hit], Frame | None, dict[str, str], list[passage_builder.Scored], list[Evidence]]:
        """(the passages left out as from another time, the question's time frame, the acronyms
        the passages define, every retrieved passage with its sentences scored, the numbered
        evidence sentences the model is shown)."""
        s = self.settings
        hits, older, window = self.retrieve(question, filters, top_k)
        aliases = self.retriever.acronyms([h.text for h in hits], used_in=question)
        scored = passage_builder.score(hits, question, self.embedder, aliases)
        shown = passage_builder.select_evidence(
            scored, s.answer_evidence_sentences, s.answer_evidence_chars, s.min_relevance, answer_kind.wanted(question)
        )
        return older, window, aliases, scored, shown

    def _checked(
        self,
        drafts: list[Draft],
        shown: list[Evidence],
        aliases: dict[str, str],
        question: str,
        timings: dict[str, float],
        notes: list[str],
        fallback: bool = True,
    ) -> list[AnswerSentence]:
        """The drafts with their citations validated and, where a sentence does not restate its
        quote, re-read by the judge; with ``fallback`` False only the shown evidence may state them."""
        validated_at = time.perf_counter()
        sentences, validation_notes = self.validator.validate(drafts, shown, aliases, question, fallback)
        notes.extend(validation_notes)
        timings["validate"] = timings.get("validate", 0.0) + time.perf_counter() - validated_at
        if sentences and self.judge is not None:
            judged_at = time.perf_counter()
            sentences, judge_notes = judge_sentences(self.judge, sentences, self.settings.min_support, aliases)
            notes.extend(judge_notes)
            timings["judge"] = timings.get("judge", 0.0) + time.perf_counter() - judged_at
        return sentences

    @staticmethod
    def _unsupported_sentence_span(
        reply: Reply, sentences: list[AnswerSentence], aliases: dict[str, str], question: str
    ) -> str:
        """What the model's one long, unsupported sentence says beyond the question
        (rag.answer_span.novel), to be validated as a short answer; "" otherwise."""
        if len(reply.drafts) != 1 or any(x.supported for x in sentences):
            return ""
        return answer_span.novel(reply.drafts[0].text, question, aliases)

    def _cited_articles(self, sentences: list[AnswerSentence]) -> list[CitedArticle]:
        """The articles the supported sentences cite, whole (a passage's own text if the index
        no longer holds its article)."""
        passages = {c.passage.article.doc_id: c.passage for line in sentences if line.supported for c in line.citations}
        texts = self.retriever.article_texts(list(passages))
        return [CitedArticle(p.article.title, texts.get(i) or p.text, p.article.outlet) for i, p in passages.items()]

    def retrieve(self, question: str, filters: Filters, top_k: int) -> tuple[list[Hit], list[Hit], Frame | None]:
        """(the passages the answer is drawn from, those left out as from another time, the
        question's time frame). A question that names its time ("this week") is not answered from
        articles published before it (rag.timeframe). When the frame leaves fewer than ``top_k``
        passages, the search is run again inside it (a date filter), so older articles that
        outranked the frame's own do not leave it without evidence."""
        self.retriever.check_ready()
        window = timeframe.frame(question, self.retriever.reference_date(filters))
        hits, older = timeframe.within(self.retriever.search(question, top_k * (2 if window else 1), filters), window)
        if window and len(hits) < top_k:
            framed = replace(filters, since=max(filters.since or "", window.start))
            seen = {h.chunk_id for h in hits}
            hits += [h for h in self.retriever.search(question, top_k, framed) if h.chunk_id not in seen]
        return hits[:top_k], older, window

    def _draft(
        self,
        question: str,
        shown: list[Evidence],
        timings: dict[str, float],
        started: float,
        on_token: OnToken | None,
        notes: list[str],
        generation: dict[str, float],
        dated: bool = True,
    ) -> Reply:
        """Ask the LLM; its short answer and draft sentences with the evidence numbers they cite
        (``dated`` False: the evidence headers without the articles' dates)."""
        raw_so_far: list[str] = []

        def tap(piece: str) -> None:
            now = time.perf_counter() - started
            timings.setdefault("first_token", now)
            raw_so_far.append(piece)
            if "first_words" not in timings and _SHORT_STARTED.search("".join(raw_so_far)):
                timings["first_words"] = now
            if on_token:
                on_token(piece)

        generation_started = time.perf_counter()
        json_reply = llm_json.ask(
            self.llm,
            prompt.messages(question, shown, dated),
            prompt.schema([e.number for e in shown]),
            self.settings.answer_max_tokens,
            on_token=tap,
        )
        timings["generate"] = timings.get("generate", 0.0) + time.perf_counter() - generation_started
        stats = getattr(self.llm, "last_stats", None)
        if stats is not None:
            for key, value in stats.to_dict().items():
                generation[key] = generation.get(key, 0.0) + value
        try:
            reply = parse_reply(json_reply)
        except ReplyError as exc:
            notes.append(f"The model's reply could not be read ({exc}); nothing from it is shown.")
            return Reply("", [])
        if not reply.found:
            notes.append("The model found no answer in the evidence.")
        elif not reply.drafts:
            notes.append("The model wrote no sentence that states its answer, so nothing can be cited.")
        return reply


def _short_answer(short: str, sentences: list[AnswerSentence], aliases: dict[str, str], question: str) -> str:
    """The model's short answer, if it is short, says more than the question did
    (:func:`rag.containment.echoes`) and a supported sentence's quote contains it (what the
    question gave aside, :func:`rag.containment.given_words`)."""
    if not short or not is_short(short) or echoes(short, question, aliases):
        return ""
    cited = [c for s in sentences if s.supported for c in s.citations]
    given = [given_words(question, c.passage.article.published_at) for c in cited]
    return short if any(contains(c.quote.text, short, aliases, g) for c, g in zip(cited, given)) else ""
