"""Questions that name their own time ("this week", "on Tuesday", "yesterday").

"Which NFL star announced his retirement this week?" is about the days before the as-of date (or,
without one, the newest article in the index). An article published a month earlier may name
another player who retired then: it is evidence about a different week, and answering from it is
answering a different question. :func:`window_days` reads how far back such a question reaches,
and :func:`within` drops the passages of articles published before that, keeping undated ones
(nothing says they are old). When every passage is dropped the answer is "not in the corpus",
with a note that says which days were searched, and no LLM call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from rag.types import ArticleRef

#: (phrase, days back from the reference date an article may be and still tell of it). A week
#: plus slack: news of the week is often published a day or two before the quiz.
_FRAMES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(?:today|tonight|yesterday|this morning)\b", re.I), 3),
    (re.compile(r"\b(?:this|this past|the past) (?:week|weekend)\b", re.I), 9),
    (re.compile(r"\blast (?:week|weekend)\b", re.I), 16),
    (re.compile(r"\bon (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I), 9),
    (re.compile(r"\b(?:this|this past|last|the past) month\b", re.I), 35),
)


class Dated(Protocol):
    @property
    def article(self) -> ArticleRef: ...


@dataclass(frozen=True)
class Frame:
    phrase: str  # the words of the question that set it ("this week")
    start: str  # ISO date: articles published before it are about another time
    end: str  # the reference date (as-of, until, or the newest article)

    def describe(self) -> str:
        return f"\u201c{self.phrase}\u201d: articles published {self.start} to {self.end}"


def window_days(question: str) -> tuple[str, int] | None:
    """The phrase and the number of days back, for the narrowest time the question names."""
    found = [(m.group(0), days) for pattern, days in _FRAMES for m in [pattern.search(question)] if m]
    return min(found, key=lambda f: f[1]) if found else None


def frame(question: str, reference: str) -> Frame | None:
    """The question's time frame, counted back from ``reference`` (ISO date); None when the
    question names no time or there is no reference date."""
    named = window_days(question)
    if named is None or not reference:
        return None
    try:
        end = date.fromisoformat(reference[:10])
    except ValueError:
        return None
    phrase, days = named
    return Frame(phrase, (end - timedelta(days=days)).isoformat(), end.isoformat())


T = TypeVar("T", bound=Dated)


def within(items: Sequence[T], window: Frame | None) -> tuple[list[T], list[T]]:
    """(kept, dropped): passages of articles published before the frame starts are dropped."""
    if window is None:
        return list(items), []
    kept: list[T] = []
    dropped: list[T] = []
    for item in items:
        published = item.article.published_at[:10]
        (dropped if published and published < window.start else kept).append(item)
    return kept, dropped
