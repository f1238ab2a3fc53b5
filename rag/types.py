"""Typed objects of the answering stage: filters, passages, citations, answer sentences."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from index.types import ArticleRef  # rag/ and ui/ import it from here too

#: The claim judge's vocabulary (rag/judge.py): a verdict per claim, a stance per evidence sentence.
Verdict = Literal["supported", "contradicted", "not_found"]
Stance = Literal["supports", "contradicts", "unrelated"]
VERDICTS: tuple[Verdict, ...] = ("supported", "contradicted", "not_found")
STANCES: tuple[Stance, ...] = ("supports", "contradicts", "unrelated")


@dataclass(frozen=True)
class Filters:
    """Which articles a search may use. Dates are ISO ``YYYY-MM-DD``; ``as_of`` excludes later ones."""

    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    as_of: str | None = None

    def describe(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


@dataclass(frozen=True)
class Sentence:
    """One sentence of a source document, with its exact offsets in that document."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk of an article that an answer can cite as ``[number]``."""

    number: int
    chunk_id: str
    article: ArticleRef
    start: int  # where the chunk sits in its article's text
    end: int
    text: str
    score: float  # cosine similarity of the chunk to the query
    sentences: tuple[Sentence, ...] = ()  # the sentences shown to the model, best first
    relevance: float = 0.0  # best sentence-level match to the query


@dataclass(frozen=True)
class Citation:
    """A validated ``[number]``: the passage and the exact sentence(s) that support the claim."""

    number: int
    passage: Passage
    quote: Sentence
    support: float

    def to_dict(self) -> dict[str, Any]:
        p = self.passage
        return {
            "number": self.number,
            **p.article.to_dict(),
            "passage": {"start": p.start, "end": p.end, "text": p.text},
            "quote": self.quote.to_dict(),
            "support": round(self.support, 3),
        }


@dataclass(frozen=True)
class Evidence:
    """One verbatim sentence shown to the model as ``[number]`` (and to the user before the model
    writes): a citation of ``number`` quotes exactly this span of the passage's article."""

    number: int
    passage: Passage
    sentence: Sentence
    relevance: float  # how well the sentence matches the question (0..1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            **self.passage.article.to_dict(),
            "quote": self.sentence.to_dict(),
            "relevance": round(self.relevance, 3),
        }


@dataclass
class AnswerSentence:
    text: str
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True

    def render(self) -> str:
        markers = "".join(f"[{c.number}]" for c in self.citations)
        flag = "" if self.supported else " [unsupported: no passage in the corpus supports this]"
        return f"{self.text}{' ' + markers if markers else ''}{flag}"


@dataclass
class SearchInfo:
    """What was searched, so a "not in the corpus" answer can show it."""

    query: str
    filters: dict[str, str]
    top_k: int
    passages_considered: int
    best_relevance: float
    threshold: float


@dataclass
class Answer:
    question: str
    status: str  # "answered" or "not_found"
    sentences: list[AnswerSentence]
    searched: SearchInfo
    notes: list[str] = field(default_factory=list)
    model: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    short: str = ""  # the few words that answer the question ("Europe"), when the evidence states them
    evidence: list[Evidence] = field(default_factory=list)  # what the model was shown, best-matching first
    generation: dict[str, float] = field(default_factory=dict)  # prompt/generated tokens and seconds

    NOT_FOUND = "not_found"
    ANSWERED = "answered"

    @property
    def citations(self) -> list[Citation]:
        """Each distinct (passage, quote) cited by the answer, by passage number then position.
        A passage cited by two sentences may appear twice, with the quote each one rests on."""
        unique: dict[tuple[int, int, int], Citation] = {}
        for sentence in self.sentences:
            for c in sentence.citations:
                unique.setdefault((c.number, c.quote.start, c.quote.end), c)
        return [unique[key] for key in sorted(unique)]

    @property
    def text(self) -> str:
        if self.status == self.NOT_FOUND:
            return "Not in the corpus: no indexed article answers this question."
        return " ".join(s.render() for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "status": self.status,
            "answer": self.text,
            "short_answer": self.short,
            "sentences": [
                {
                    "text": s.text,
                    "citations": [c.number for c in s.citations],
                    "quotes": [{"number": c.number, "start": c.quote.start, "end": c.quote.end} for c in s.citations],
                    "supported": s.supported,
                }
                for s in self.sentences
            ],
            "citations": [c.to_dict() for c in self.citations],
            "evidence": [e.to_dict() for e in self.evidence],
            "searched": asdict(self.searched),
            "notes": self.notes,
            "model": self.model,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "generation": {k: round(v, 3) for k, v in self.generation.items()},
        }
