"""Reciprocal rank fusion and the recency prior, on hand-made rankings."""

import pytest

from rag import fusion


def test_an_item_ranked_well_by_both_lists_beats_one_ranked_first_by_one() -> None:
    dense = ["a", "b", "c"]
    bm25 = ["d", "b", "a"]
    scores = fusion.reciprocal_rank([dense, bm25], k=60)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 63)
    assert scores["d"] == pytest.approx(1 / 61)
    assert fusion.ordered(scores) == ["a", "b", "d", "c"]


def test_weights_scale_each_list_and_ties_keep_first_seen_order() -> None:
    scores = fusion.reciprocal_rank([["x"], ["y"]], weights=[1.0, 2.0], k=1)
    assert scores == {"x": pytest.approx(0.5), "y": pytest.approx(1.0)}
    tied = fusion.reciprocal_rank([["p", "q"], ["q", "p"]], k=60)
    assert fusion.ordered(tied) == ["p", "q"]  # equal scores: the order in which they were first seen
    assert fusion.reciprocal_rank([]) == {}


def test_bad_arguments_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="one weight per ranked list"):
        fusion.reciprocal_rank([["a"], ["b"]], weights=[1.0])
    with pytest.raises(ValueError, match="k must be at least 1"):
        fusion.reciprocal_rank([["a"]], k=0)


def test_recency_factor_halves_per_half_life_before_the_reference_date() -> None:
    assert fusion.recency_factor("2022-06-01", "2022-06-01", 30) == 1.0
    assert fusion.recency_factor("2022-05-02", "2022-06-01", 30) == pytest.approx(0.5)
    assert fusion.recency_factor("2022-04-02", "2022-06-01", 30) == pytest.approx(0.25, rel=1e-3)
    assert fusion.recency_factor("2022-07-01", "2022-06-01", 30) == 1.0  # not penalised for being newer
    assert fusion.recency_factor("", "2022-06-01", 30) == 0.5  # undated: one half-life old
    assert fusion.recency_factor("2022-05-02", "2022-06-01", 0) == 1.0  # no preference
    assert fusion.recency_factor("2022-05-02", "", 30) == 1.0
    assert fusion.day_number("not a date") == 0


def test_a_query_naming_a_year_is_exempt_from_the_recency_prior() -> None:
    assert fusion.names_a_year("When did Pakistan and Russia meet in 2018?")
    assert fusion.names_a_year("What happened in 1999")
    assert not fusion.names_a_year("What did the Kremlin say about the SCO?")
    assert not fusion.names_a_year("Flight 20221 landed; 300 people")
