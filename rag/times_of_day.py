"""Times of day: a claim that says when in the day ("late on Monday night", "Sunday afternoon")
needs a source that says it too; one that names another time of day ("Sunday morning") reports
it differently. :func:`rag.claims_compare.compare` reads them beside dates and weekdays."""

from __future__ import annotations

import re

_TIMES = {
    "morning": "morning", "mornings": "morning", "dawn": "morning", "daybreak": "morning",
    "afternoon": "afternoon", "afternoons": "afternoon", "noon": "noon", "midday": "noon",
    "evening": "evening", "evenings": "evening", "dusk": "evening",
    "night": "night", "nights": "night", "overnight": "night", "midnight": "night", "tonight": "night",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")
#: Clock times state the time of day too ("7:20 a.m.", "9:48 p.m."): they count as given.
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)", re.IGNORECASE)


def times_of_day(text: str) -> frozenset[str]:
    return frozenset(_TIMES[w.lower()] for w in _WORD.findall(text) if w.lower() in _TIMES)


def differ(claim: str, evidence: str) -> tuple[str, bool] | None:
    """(what differs, whether the source names another time of day) or None."""
    wanted = times_of_day(claim)
    if not wanted or _CLOCK.search(evidence):
        return None
    given = times_of_day(evidence)
    if wanted <= given:
        return None
    missing = ", ".join(sorted(wanted - given))
    if given:
        return f"times of day differ: claim {missing}; source {', '.join(sorted(given))}", True
    return f"the source does not say {missing}", False
