"""Citations are validated, never trusted.

The model's reply is parsed into a short answer and draft sentences with the evidence numbers they
cite. Each cited number must name an evidence sentence the model was shown (anything else was
invented and is stripped), and that sentence (or the cited sentences together) must state the
draft well enough: the evidence sentence is then the exact quote, by construction. A citation that
fails is removed; a sentence that lost its citations gets the evidence sentence, or the sentence
of a retrieved passage, that states it; a sentence nothing supports is flagged. A short answer (a
few words: "Bishkek, Kyrgyzstan") is stated by a quote that contains it (and, to "how many pages",
names pages); a longer one by a quote that matches it closely, re-read by the judge unless the
quote restates it. Every change is reported in ``notes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from index.embedding import Embedder
from rag import answer_kind, evidence, lexical, llm_json
from rag.containment import contains, echoes, given_words, is_short, publication_year, verbatim
from rag.judge import Case, Judge, conflict, guard
from rag.llm_json import JsonReply
from rag.passages import all_sentences
from rag.types import AnswerSentence, Citation, Evidence, Passage, Sentence

_MARKER = re.compile(r"\s*\[(\d+)\]")
_REFUSAL = re.compile(
    r"^(?:n/?a|none|null|unknown|not (?:stated|mentioned|given|specified|known|found|available|provided)|"
    r"no (?:answer|information)|(?:the )?evidence does not.*|it is not (?:stated|mentioned).*|"
    r"cannot be determined)\.?$",
    re.I,
)
_REFUSING_SENTENCE = re.compile(
    r"\b(?:does not|do not|doesn't|don't|did not) (?:say|state|mention|specify|answer|provide|give|include)\b|"
    r"\bno (?:information|mention|evidence)\b|\bnot (?:mentioned|stated|specified)\b",
    re.I,
)


@dataclass
class Draft:
    text: str
    cited: list[int]


@dataclass
class Reply:
    """What the model wrote: the short answer ('' when it found none) and its draft sentences."""

    short: str
    drafts: list[Draft]

    @property
    def found(self) -> bool:
        return bool(self.short or self.drafts)


class ReplyError(ValueError):
    pass


def parse_reply(reply: str | JsonReply) -> Reply:
    """``{"answer": str, "cite": [n]}`` (the answer is the one cited statement), ``{"answer",
    "sentences": [{"text", "cite"}]}``, the older ``found``/``citations`` form, or free text with
    ``[n]`` markers. Refusals ("not stated", "the evidence does not say
    ...") count as no answer."""
    reply = llm_json.read(reply) if isinstance(reply, str) else reply
    raw, data = reply.raw, reply.data
    if data is None:
        if "{" in raw:
            raise ReplyError("the model's reply is not valid JSON")
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", raw.strip())
        drafts = [_draft(part, []) for part in parts if part.strip() and not _REFUSING_SENTENCE.search(part)]
        return Reply("", drafts)
    items = data.get("sentences") or []
    if "sentences" not in data and isinstance(data.get("answer"), str):  # the answer is the cited statement
        items = [{"text": data["answer"], "cite": data.get("cite")}]
    if not isinstance(items, list):
        raise ReplyError("the model's reply has no sentence list")
    short = data.get("answer")
    short = " ".join(short.split()).strip(" .") if isinstance(short, str) else ""
    if _REFUSAL.match(short):
        short = ""
    drafts = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
            if _REFUSING_SENTENCE.search(item["text"]) or _REFUSAL.match(item["text"].strip(" .")):
                continue
            cited = item.get("cite", item.get("citations")) or []
            cited = cited if isinstance(cited, list) else [cited]
            drafts.append(
                _draft(item["text"], [int(c) for c in cited if isinstance(c, int | str) and str(c).isdigit()])
            )
    if data.get("found") is False or (not short and "answer" in data and not drafts):
        return Reply("", [])
    return Reply(short, drafts)


def _draft(text: str, cited: list[int]) -> Draft:
    inline = [int(n) for n in _MARKER.findall(text)]
    clean = _MARKER.sub("", text).strip()
    merged = list(dict.fromkeys([*cited, *inline]))
    return Draft(clean, merged)


class CitationValidator:
    def __init__(self, embedder: Embedder, min_support: float) -> None:
        if not 0.0 <= min_support <= 1.0:
            raise ValueError("min_support must be between 0 and 1")
        self.embedder = embedder
        self.min_support = min_support

    def validate(
        self,
        drafts: list[Draft],
        shown: list[Evidence],
        aliases: dict[str, str] | None = None,
        question: str = "",
        fallback: bool = True,
    ) -> tuple[list[AnswerSentence], list[str]]:
        """Check each draft's citations against the evidence it was shown (``shown``, numbered as in
        the prompt); the sentences of the evidence's passages are the fallback support (unless
        ``fallback`` is False). A short draft may leave out of its quote what ``question`` gave
        (:func:`given_words`)."""
        if not drafts:
            return [], []
        by_number = {e.number: e for e in shown}
        column_of = {e.number: i for i, e in enumerate(shown)}
        passages = list({e.passage.chunk_id: e.passage for e in shown}.values())
        shown_spans = {(e.passage.article.doc_id, e.sentence.start, e.sentence.end): e.number for e in shown}
        extra: list[tuple[Passage, Sentence]] = [
            (p, w)
            for p in (passages if fallback else [])
            for w in evidence.windows(all_sentences(p), p.text, p.start)
            if (p.article.doc_id, w.start, w.end) not in shown_spans
        ]
        aliases = aliases if aliases is not None else lexical.acronyms([p.text for p in passages])
        candidates = [e.sentence for e in shown] + [w for _, w in extra]
        scores = _Scores(self.embedder, [d.text for d in drafts], candidates, len(shown), aliases)
        notes: list[str] = []
        sentences: list[AnswerSentence] = []
        next_number = max(by_number, default=0) + 1
        asked = given_words(question)
        things = answer_kind.counted(question)
        for row, draft in enumerate(drafts):
            short = is_short(draft.text)
            if short and echoes(draft.text, question, aliases):
                notes.append(
                    f"Sentence {row + 1} is flagged: \u201c{draft.text}\u201d only repeats what the question says."
                )
                sentences.append(AnswerSentence(draft.text, [], False))
                continue

            def states(quote: str, score: float, published: str, draft: Draft = draft, short: bool = short) -> bool:
                if short:  # and names what "how many" counts: "33 boxes" is no number of pages
                    given = asked | publication_year(published)
                    return contains(quote, draft.text, aliases, given) and answer_kind.counts(quote, things)
                return score >= self.min_support or verbatim(draft.text, quote)

            citations: list[Citation] = []
            for number in draft.cited:
                if number not in by_number:
                    notes.append(
                        f"Removed [{number}] from sentence {row + 1}: the model was shown no evidence [{number}]."
                    )
                    continue
                item = by_number[number]
                support = float(scores[row, column_of[number]])
                citations.append(_cite(item.number, item.passage, item.sentence, support))
            kept = [c for c in citations if states(c.quote.text, c.support, c.passage.article.published_at)]
            if not kept and len(citations) > 1:  # a claim that needs two sentences
                joined = " ".join(c.quote.text for c in citations)
                together = evidence.match_scores(self.embedder, [draft.text], [Sentence(0, 0, joined)], aliases)
                if states(joined, float(together[0, 0]), citations[0].passage.article.published_at):
                    kept = [replace(c, support=float(together[0, 0])) for c in citations]
            for c in citations:
                if not any(k.number == c.number for k in kept):
                    why = (
                        "does not contain it"
                        if short
                        else f"does not state it (support {c.support:.3f} < {self.min_support:.2f})"
                    )
                    notes.append(
                        f"Removed [{c.number}] from sentence {row + 1}: "
                        f"the evidence from {c.passage.article.label()} {why}."
                    )
            if not kept:
                kept = self._elsewhere(row, draft, shown, extra, scores, states, next_number)
                if kept:
                    next_number = max(next_number, kept[0].number + 1)
                    notes.append(
                        f"Added [{kept[0].number}] to sentence {row + 1}: the passage from "
                        f"{kept[0].passage.article.label()} states it."
                    )
            if not kept:
                notes.append(f"Sentence {row + 1} is flagged: no retrieved passage supports it.")
            elif not short:
                also = self._corroborating(row, kept, shown, scores)
                for c in also:
                    notes.append(
                        f"Also cited [{c.number}] for sentence {row + 1}: {c.passage.article.label()} states it too."
                    )
                kept = kept + also
            sentences.append(AnswerSentence(draft.text, kept, bool(kept)))
        return sentences, notes

    def _corroborating(self, row: int, kept: list[Citation], shown: list[Evidence], scores: _Scores) -> list[Citation]:
        """Evidence from other articles that states a sentence as well as its own citations do
        (support >= ``CORROBORATION``): a statement in both the Kremlin's own release and an agency's
        report cites both, best first, at most ``MAX_CORROBORATING``."""
        cited_docs = {c.passage.article.doc_id for c in kept}
        floor = max(self.min_support, CORROBORATION)
        found: list[Citation] = []
        for i in sorted(range(len(shown)), key=lambda i: -float(scores[row, i])):
            item, support = shown[i], float(scores[row, i])
            if support < floor or len(found) >= MAX_CORROBORATING:
                break
            if item.passage.article.doc_id not in cited_docs:
                cited_docs.add(item.passage.article.doc_id)
                found.append(_cite(item.number, item.passage, item.sentence, support))
        return found

    @staticmethod
    def _elsewhere(
        row: int,
        draft: Draft,
        shown: list[Evidence],
        extra: list[tuple[Passage, Sentence]],
        scores: _Scores,
        states: Callable[[str, float, str], bool],
        next_number: int,
    ) -> list[Citation]:
        """The evidence sentence that states the draft (the one closest to the question first),
        else the best sentence of a retrieved passage that does; [] if none."""
        stating = [
            e
            for i, e in enumerate(shown)
            if states(e.sentence.text, float(scores[row, i]), e.passage.article.published_at)
        ]
        if stating:
            item = max(stating, key=lambda e: e.relevance)
            return [_cite(item.number, item.passage, item.sentence, float(scores[row, shown.index(item)]))]
        columns = sorted(range(len(extra)), key=lambda j: -float(scores[row, len(shown) + j]))
        for j in columns:
            passage, window = extra[j]
            support = float(scores[row, len(shown) + j])
            if states(window.text, support, passage.article.published_at):
                return [_cite(next_number, passage, window, support)]
        return []


class _Scores:
    """``scores[row, column]``: how well candidate ``column`` states draft ``row``
    (:func:`rag.evidence.match_scores`), embedded a block at a time when first read: the evidence
    sentences the model was shown, then the other windows of their passages, which are only
    needed when no cited or shown sentence states a draft (most answers never embed them)."""

    def __init__(
        self, embedder: Embedder, drafts: list[str], candidates: list[Sentence], shown: int, aliases: dict[str, str]
    ) -> None:
        self._embedder, self._drafts, self._candidates, self._aliases = embedder, drafts, candidates, aliases
        self._bounds = [(0, shown), (shown, len(candidates))]
        self._blocks: dict[int, Any] = {}

    def __getitem__(self, key: tuple[int, int]) -> float:
        row, column = key
        block = 0 if column < self._bounds[0][1] else 1
        if block not in self._blocks:
            start, end = self._bounds[block]
            self._blocks[block] = evidence.match_scores(
                self._embedder, self._drafts, self._candidates[start:end], self._aliases
            )
        return float(self._blocks[block][row, column - self._bounds[block][0]])


#: Support a sentence of another article needs to be cited beside the model's own citation.
CORROBORATION = 0.6
MAX_CORROBORATING = 2


def _cite(number: int, passage: Passage, quote: Sentence, support: float) -> Citation:
    return Citation(number, replace(passage, number=number), quote, support)


#: A quote matching its sentence this closely, with no conflict, restates it: no need to ask the judge.
RESTATES = 0.8


def judge_sentences(
    judge: Judge, sentences: list[AnswerSentence], min_support: float, aliases: dict[str, str] | None = None
) -> tuple[list[AnswerSentence], list[str]]:
    """The claim checker's judge re-reads each cited sentence against its quotes, unless every
    quote restates it (support >= ``RESTATES`` and no conflict); a citation whose quote the
    checker finds does not state the sentence is removed, and a sentence left without citations
    is flagged."""

    def restated(sentence: AnswerSentence) -> bool:
        if is_short(sentence.text):  # a short answer was checked by containment: nothing to infer
            return True
        return all(
            (c.support >= RESTATES or verbatim(sentence.text, c.quote.text))
            and not conflict(sentence.text, c.quote.text, aliases).kind
            for c in sentence.citations
        )

    doubtful = [s for s in sentences if s.citations and not restated(s)]
    read = {id(s): [in_context(c) for c in s.citations] for s in doubtful}  # what the judge and guard read
    dates = {id(s): [c.passage.article.published_at for c in s.citations] for s in doubtful}
    titles = {id(s): [c.passage.article.title for c in s.citations] for s in doubtful}
    verdicts = iter(judge.judge([Case(s.text, read[id(s)], aliases, dates[id(s)], titles[id(s)]) for s in doubtful]))
    notes: list[str] = []
    out: list[AnswerSentence] = []
    for row, sentence in enumerate(sentences, start=1):
        if not sentence.citations or restated(sentence):
            out.append(sentence)
            continue
        checked = guard(
            sentence.text,
            next(verdicts),
            read[id(sentence)],
            [c.support for c in sentence.citations],
            min_support,
            aliases,
            dates[id(sentence)],
            titles[id(sentence)],
        )
        kept = [c for c, stance in zip(sentence.citations, checked.stances) if stance == "supports"]
        for citation, stance in zip(sentence.citations, checked.stances):
            if stance != "supports":
                notes.append(
                    f"Removed a citation from sentence {row}: the checker finds that the passage from "
                    f"{citation.passage.article.label()} does not state it ({stance})."
                )
        if not kept:
            notes.append(f"Sentence {row} is flagged: the checker finds no cited passage that states it.")
        out.append(AnswerSentence(sentence.text, kept, bool(kept)))
    return out, notes


def in_context(citation: Citation) -> str:
    """The quote as the judge reads it: after the sentence before it in its passage, which often
    names who or what the quote is about ("Putin and Khan have agreed ... "It was agreed to
    coordinate approaches to Afghanistan."), as the claim checker's two-sentence windows do."""
    p, quote = citation.passage, citation.quote
    before = [s for s in all_sentences(p) if s.end <= quote.start]
    return p.text[before[-1].start - p.start : quote.end - p.start] if before else quote.text
