"""Times of day in claims (rag/times_of_day.py)."""

from __future__ import annotations

from rag.claims_compare import compare
from rag.judge import conflict


def test_a_time_of_day_the_claim_gives_must_be_stated() -> None:
    claim = "The FBI began its search of the estate late on Monday night."
    assert "the source does not say night" in compare(claim, "The FBI searched the estate on Monday.").unstated
    assert compare(claim, "The FBI began searching the estate on Monday night.").clean
    assert compare(claim, "Agents arrived at 11:30 p.m. on Monday to search the estate.").clean  # a clock time
    other = "The FBI began its search of the estate early on Monday morning."
    assert conflict(claim, other).kind == "numbers"  # another time of day, as another weekday
