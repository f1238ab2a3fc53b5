"""Dates an article's publication date gives to what it names relative to it: weekdays ("on
Wednesday") and years ("this year", "last year")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from rag.lexical import WEEKDAYS


def recent_days(weekdays: frozenset[str], published: str) -> frozenset[tuple[int, int]]:
    """The (month, day) each weekday names in an article published on ``published``: the last such
    day on or before it ("On Wednesday" in an article of Thursday 14 July is 13 July); none if the
    date is unknown."""
    day = _date(published)
    if day is None:
        return frozenset()
    back = [(day.weekday() - WEEKDAYS.index(w)) % 7 for w in weekdays]
    return frozenset(((day - timedelta(days=n)).month, (day - timedelta(days=n)).day) for n in back)


#: A year named relative to the article's date: "this year", "11th launch of the year", "last year".
_RELATIVE_YEAR = re.compile(r"\b(this|last|next|of the|so far this|earlier this|later this)\s+year\b", re.IGNORECASE)
_OFFSET = {"last": -1, "next": 1}


def relative_years(text: str) -> frozenset[int]:
    """The offsets from the article's year of the years ``text`` names relative to it: 0 for
    "this year" and "the 11th of the year", -1 for "last year", 1 for "next year"."""
    return frozenset(_OFFSET.get(m.group(1).lower(), 0) for m in _RELATIVE_YEAR.finditer(text))


def recent_years(text: str, published: str) -> frozenset[int]:
    """The years ``text`` names relative to an article published on ``published`` (none if the
    date is unknown)."""
    day = _date(published)
    return frozenset(day.year + offset for offset in relative_years(text)) if day else frozenset()


def _date(published: str) -> date | None:
    """An ISO publication date ("2022-03-24", or a timestamp that starts with one); None if unknown."""
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
