"""Shares of a whole in words and as percentages (rag/shares.py), as the structured comparison reads them."""

from __future__ import annotations

from rag import claims_compare
from rag.shares import Share, differ, shares


def test_shares_in_words_and_percentages() -> None:
    percentages = shares("The lake is at 27% of its capacity, down from 31 percent.")
    assert percentages == {Share(0.27, False), Share(0.31, False)}
    assert shares("About half of the men, a third of the women and two-thirds of the children") == {
        Share(0.5, True),
        Share(0.3333, True),
        Share(0.6667, True),
    }
    assert shares("Prices were cut in half.") == {Share(0.5, True)}
    # an ordinal, a quarter of the year or a count is no share
    assert shares("It was her third diagnosis, in the third quarter of the year; a third man was held.") == set()


def test_a_share_in_words_is_compared_with_a_percentage() -> None:
    claim = "The reservoir is at about half of its full capacity."
    assert claims_compare.compare(claim, "The reservoir is at 27% of its full capacity.").mismatches == (
        "numbers differ: claim 50%; source 27%",
    )
    assert claims_compare.compare(claim, "The reservoir is at 48% of its full capacity.").clean
    assert claims_compare.compare("A quarter of voters backed it.", "25 percent of voters backed it.").clean
    assert claims_compare.compare("Prices rose 50% in a year.", "Prices rose by half in a year.").clean
    assert claims_compare.compare("Prices rose by half in a year.", "Prices rose 50% in a year.").clean
    # "two-thirds" holds no count of two, and two percentages must agree as other numbers do
    assert claims_compare.compare("Two-thirds of voters backed it.", "65% of voters backed it.").clean
    assert not claims_compare.compare("Inflation was 2% in May.", "Inflation was 2.5% in May.").clean
    # a share the source does not give at all is left to the other checks, as before
    assert claims_compare.compare("Some 1,200 people, half of them children, died.", "Some 1,200 people died.").clean


def test_a_change_by_a_fraction_is_a_share() -> None:
    assert {s.value for s in shares("Visits fell by about a third.")} == {0.3333}
    assert {s.value for s in shares("Costs were cut by three quarters.")} == {0.75}
    assert differ("The drug cut visits by about a third.", "It cut visits to a doctor by half.")
    assert not differ("The drug cut visits by half.", "It cut doctor visits by more than 50% against a placebo.")
    assert not shares("Profits rose in the third quarter.")


def test_the_first_half_of_a_year_is_a_period_not_a_share() -> None:
    assert shares("The deal is expected to close in the first half of 2024.") == frozenset()
    assert shares("Sales fell in the second half of the year.") == frozenset()
    assert shares("It runs at about half of its capacity.") == frozenset({Share(0.5, True)})
