"""Dates an article's publication date gives to the weekdays it names."""

from __future__ import annotations

from datetime import date, timedelta

from rag.lexical import WEEKDAYS


def recent_days(weekdays: frozenset[str], published: str) -> frozenset[tuple[int, int]]:
    """The (month, day) each weekday names in an article published on ``published``: the last such
    day on or before it ("On Wednesday" in an article of Thursday 14 July is 13 July); none if the
    date is unknown."""
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return frozenset()
    back = [(day.weekday() - WEEKDAYS.index(w)) % 7 for w in weekdays]
    return frozenset(((day - timedelta(days=n)).month, (day - timedelta(days=n)).day) for n in back)
