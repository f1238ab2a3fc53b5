"""What a text states: quantities in words and digits, scales, codes that are names. No model."""

from __future__ import annotations

from rag.claim_facts import dateline, facts


def test_number_words_scales_and_numerals_are_one_quantity() -> None:
    assert facts("four share a border").quantities == {4.0}
    assert facts("a dozen reports and half a million dollars").quantities == {12.0, 500_000.0}
    assert facts("1.2 million people paid $19,000,100").quantities == {1_200_000.0, 19_000_100.0}
    assert facts("a 10-month-old infant").quantities == {10.0}
    assert facts("the one thing at the eleventh hour in 2012").quantities == set()
    assert facts("in 2012").years == {2012}


def test_the_dateline_gives_the_articles_year_date_and_weekday() -> None:
    day = dateline("2022-08-09T10:00:00")
    assert (day.years, day.days, day.weekdays) == ({2022}, {(8, 9)}, {"tuesday"})
    assert dateline("unknown") == facts("")


def test_a_numeral_that_labels_is_no_count_but_states_the_same_number() -> None:
    assert facts("The Hawks won Game 4 in overtime.").quantities == set()
    assert facts("They won 4 games in a row.").quantities == {4.0}
    ranked = facts("Ortiz is ranked No. 12 in the world.")
    assert ranked.quantities == set() and ranked.labelled == {12.0}
    assert not ranked.negated  # "No." before a numeral is the number, not a negation


def test_compound_number_words_and_a_dozen_years() -> None:
    assert facts("Fifty-four asylum seekers arrived on Friday.").quantities == {54.0}
    assert facts("twenty one people were hurt").quantities == {21.0}
    assert facts("fifty-four thousand fans").quantities == {54000.0}
    assert facts("in power for a dozen years").durations == facts("in power for 12 years").durations == {4383.0}
    assert facts("twenty-five years ago").durations == {9131.25} and not facts("twenty-five years ago").quantities
    assert facts("the purse almost triples the Canadian Open's").quantities == {3.0}
