"""Citations are validated, never trusted.

The model's reply is parsed into draft sentences with the passage numbers they cite. Each cited
number must name a retrieved passage, and that passage must contain a sentence (or two adjacent
ones) that states the claim well enough; that sentence becomes the exact quote. A citation that
fails is removed; an uncited sentence that some passage supports gets that passage; a sentence
nothing supports is flagged. Every change is reported in ``notes``. Finally the cited passages are
renumbered 1..m in order of first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from index.embedding import Embedder
from rag import evidence, lexical
from rag.judge import Case, Judge, conflict, guard
from rag.passages import all_sentences
from rag.types import AnswerSentence, Citation, Passage, Sentence

_MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass
class Draft:
    text: str
    cited: list[int]


class ReplyError(ValueError):
    pass


def parse_reply(raw: str) -> tuple[bool, list[Draft]]:
    """``{"found": bool, "sentences": [{"text", "citations"}]}``, or free text with ``[n]`` markers."""
    data = _json_object(raw)
    if data is None:
        if "{" in raw:
            raise ReplyError("the model's reply is not valid JSON")
        drafts = [_draft(part, []) for part in re.split(r"(?<=[.!?])\s+(?=[A-Z])", raw.strip()) if part.strip()]
        return bool(drafts), drafts
    items = data.get("sentences") or []
    if not isinstance(items, list):
        raise ReplyError("the model's reply has no sentence list")
    drafts = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
            cited = item.get("citations") or []
            drafts.append(
                _draft(item["text"], [int(c) for c in cited if isinstance(c, int | str) and str(c).isdigit()])
            )
    found = bool(data.get("found", bool(drafts))) and bool(drafts)
    return found, drafts


def _json_object(raw: str) -> dict | None:
    text = raw.strip()
    for candidate in (text, text[text.find("{") : text.rfind("}") + 1] if "{" in text else ""):
        if not candidate:
            continue
        try:
            data = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            return data
    return None


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
        self, drafts: list[Draft], passages: list[Passage], aliases: dict[str, str] | None = None
    ) -> tuple[list[AnswerSentence], list[str]]:
        by_number = {p.number: p for p in passages}
        windows: list[tuple[Passage, Sentence]] = [
            (p, w) for p in passages for w in evidence.windows(all_sentences(p), p.text, p.start)
        ]
        aliases = aliases if aliases is not None else lexical.acronyms([p.text for p in passages])
        scores = evidence.match_scores(self.embedder, [d.text for d in drafts], [w for _, w in windows], aliases)
        notes: list[str] = []
        sentences: list[AnswerSentence] = []
        for row, draft in enumerate(drafts):
            best: dict[int, tuple[float, Sentence]] = {}
            for column, (passage, window) in enumerate(windows):
                score = float(scores[row, column])
                if score > best.get(passage.number, (-1.0, window))[0]:
                    best[passage.number] = (score, window)
            citations: list[Citation] = []
            for number in draft.cited:
                if number not in by_number:
                    notes.append(f"Removed [{number}] from sentence {row + 1}: no passage [{number}] was retrieved.")
                    continue
                score, quote = best[number]
                if score < self.min_support:
                    notes.append(
                        f"Removed a citation from sentence {row + 1}: the passage from "
                        f"{by_number[number].label()} does not support it "
                        f"(support {score:.3f} < {self.min_support:.2f})."
                    )
                    continue
                citations.append(Citation(number, by_number[number], quote, score))
            supported = bool(citations)
            if not citations and best:
                number, (score, quote) = max(best.items(), key=lambda item: item[1][0])
                if score >= self.min_support:
                    citations.append(Citation(number, by_number[number], quote, score))
                    notes.append(
                        f"Added a citation to sentence {row + 1}: "
                        f"the passage from {by_number[number].label()} supports it."
                    )
                    supported = True
            if not supported:
                notes.append(f"Sentence {row + 1} is flagged: no retrieved passage supports it.")
            sentences.append(AnswerSentence(draft.text, citations, supported))
        return renumber(sentences), notes


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
        return all(
            c.support >= RESTATES and not conflict(sentence.text, c.quote.text, aliases).kind
            for c in sentence.citations
        )

    doubtful = [s for s in sentences if s.citations and not restated(s)]
    verdicts = iter(judge.judge([Case(s.text, [c.quote.text for c in s.citations]) for s in doubtful]))
    notes: list[str] = []
    out: list[AnswerSentence] = []
    for row, sentence in enumerate(sentences, start=1):
        if not sentence.citations or restated(sentence):
            out.append(sentence)
            continue
        checked = guard(
            sentence.text,
            next(verdicts),
            [c.quote.text for c in sentence.citations],
            [c.support for c in sentence.citations],
            min_support,
            aliases,
        )
        kept = [c for c, stance in zip(sentence.citations, checked.stances) if stance == "supports"]
        for citation, stance in zip(sentence.citations, checked.stances):
            if stance != "supports":
                notes.append(
                    f"Removed a citation from sentence {row}: the checker finds that the passage from "
                    f"{citation.passage.label()} does not state it ({stance})."
                )
        if not kept:
            notes.append(f"Sentence {row} is flagged: the checker finds no cited passage that states it.")
        out.append(AnswerSentence(sentence.text, kept, bool(kept)))
    return renumber(out), notes


def renumber(sentences: list[AnswerSentence]) -> list[AnswerSentence]:
    """Cited passages become [1]..[m] in order of first use; a passage cited twice keeps one number."""
    mapping: dict[int, int] = {}
    for sentence in sentences:
        for citation in sentence.citations:
            mapping.setdefault(citation.number, len(mapping) + 1)
    out = []
    for sentence in sentences:
        renumbered = []
        for c in sentence.citations:
            new = mapping[c.number]
            renumbered.append(Citation(new, replace(c.passage, number=new), c.quote, c.support))
        out.append(AnswerSentence(sentence.text, renumbered, sentence.supported))
    return out
