"""Questions that name their own time ("this week", "on Tuesday", "yesterday", "in March 2022").

"Which NFL star announced his retirement this week?" is about the days before the as-of date (or,
without one, the newest article in the index). An article published a month earlier may name
another player who retired then: it is evidence about a different week, and answering from it is
answering a different question. :func:`window_days` reads how far back such a question reaches,
and :func:`within` drops the passages of articles published before that, keeping undated ones
(nothing says they are old). When every passage is dropped the answer is "not in the corpus",
with a note that says which days were searched, and no LLM call.

A question that names a month of a year for what happened ("the index released in March 2022",
"on June 6, 2022") is not answered from articles published before that month began: they cannot
report it, and what they report is an earlier month's figure. Not when the question looks ahead
("will take effect in January 2023") or names the month as a bound ("since March 2022").
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


_MONTH_NAMES = "january february march april may june july august september october november december".split()
_NAMED_MONTH = re.compile(
    r"\b(?:in|on|during)\s+(?:(?:early|mid|late)[\s-]+)?(?P<month>" + "|".join(_MONTH_NAMES) + r")"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_LOOKS_AHEAD = re.compile(
    r"\b(?:will|would|set to|scheduled|expected|plans?|planned|upcoming|due to|takes? effect|next)\b", re.I
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
        until = f" to {self.end}" if self.end else " on"
        return f"\u201c{self.phrase}\u201d: articles published {self.start}{until}"


#: A quoted title or quotation: its words name no time of the question's ("'Take Me Home Tonight'").
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]|(?<!\w)['‘][^'’]*['’](?!\w)")


def unquoted(question: str) -> str:
    """``question`` without what it quotes (a song, a film, someone's words)."""
    return _QUOTED.sub(" ", question)


def window_days(question: str) -> tuple[str, int] | None:
    """The phrase and the number of days back, for the narrowest time the question names (outside
    quotation marks)."""
    question = unquoted(question)
    found = [(m.group(0), days) for pattern, days in _FRAMES for m in [pattern.search(question)] if m]
    return min(found, key=lambda f: f[1]) if found else None


def frame(question: str, reference: str) -> Frame | None:
    """The question's time frame: counted back from ``reference`` (ISO date) for "this week", or
    from the first day of a month it names ("in March 2022"), whichever starts later; None when
    the question names no time (or only "this week" and there is no reference date)."""
    end = _day(reference)
    frames = []
    named = window_days(question)
    if named is not None and end is not None:
        frames.append(Frame(named[0], (end - timedelta(days=named[1])).isoformat(), end.isoformat()))
    month = named_month(question)
    if month is not None and (end is None or month[1] <= end):
        frames.append(Frame(month[0], month[1].isoformat(), end.isoformat() if end else ""))
    return max(frames, key=lambda f: f.start) if frames else None


def named_month(question: str) -> tuple[str, date] | None:
    """The words and first day of the earliest month of a year the question says something
    happened in ("in March 2022"); None if it names none, or looks ahead."""
    question = unquoted(question)
    if _LOOKS_AHEAD.search(question):
        return None
    found = [
        (m.group(0).split(None, 1)[1], date(int(m.group("year")), _MONTH_NAMES.index(m.group("month").lower()) + 1, 1))
        for m in _NAMED_MONTH.finditer(question)
    ]
    return min(found, key=lambda f: f[1]) if found else None


def _day(reference: str) -> date | None:
    try:
        return date.fromisoformat(reference[:10]) if reference else None
    except ValueError:
        return None


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
