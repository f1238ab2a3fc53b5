"""Comparisons that point the other way (rag/comparatives.py)."""

from __future__ import annotations

from rag.claims_compare import compare
from rag.comparatives import REVERSED, reversed_comparison
from rag.judge import conflict

SOURCE = "Restaurants raised prices at a slower clip: menu prices rose 7.6%, less than overall inflation."


def test_a_comparison_with_the_same_thing_the_other_way_contradicts() -> None:
    claim = "Menu prices rose faster than overall inflation, climbing 7.6%."
    assert reversed_comparison(claim, SOURCE) == REVERSED
    assert REVERSED in compare(claim, SOURCE).mismatches
    assert conflict(claim, SOURCE).decisive


def test_the_same_direction_or_another_thing_compared_is_no_conflict() -> None:
    assert reversed_comparison("Menu prices rose less than overall inflation.", SOURCE) == ""
    assert reversed_comparison("Menu prices rose faster than grocery prices.", SOURCE) == ""
