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
