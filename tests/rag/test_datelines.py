"""Dates an article's publication date gives to weekdays and years named relative to it. No model."""

from __future__ import annotations

from rag import datelines
from rag.claims_compare import compare


def test_years_named_relative_to_the_article() -> None:
    assert datelines.relative_years("its fourth launch of the year and more than last year") == {0, -1}
    assert datelines.recent_years("Sales rose this year and will rise next year.", "2022-03-24") == {2022, 2023}
    assert datelines.recent_years("Sales rose this year.", "") == frozenset()
    assert datelines.recent_years("a year ago", "2022-03-24") == frozenset()


def test_the_year_of_an_articles_this_year_is_no_other_year() -> None:
    claim = "The test was Northland's sixth missile launch of 2022."
    sentence = "Thursday's test is Northland's sixth launch of the year, after its last big test in November 2017."
    assert compare(claim, sentence, None, "2022-03-24").clean
    assert compare(claim, sentence, None, "2023-03-24").mismatches  # that article's year is 2023
    assert not compare(claim, sentence).mismatches  # the article's date unknown: the year is left open
    assert compare(claim, "Northland's sixth launch since 2017.").mismatches
