"""The evaluation metrics on hand-made cases: a perfect run, an empty run, wrong citations."""

import pytest

from rag import metrics
from rag.metrics import CitedSentence, citation_scores

PARIS = "Paris is the capital of France."
ROME = "Rome is the capital of Italy."
LONDON = "London is the capital of England."


def entails(premise: str, hypothesis: str) -> bool:
    """A fake NLI judge: every sentence of the hypothesis occurs in the premise."""
    return all(part.strip() + "." in premise for part in hypothesis.split(".") if part.strip())


def test_squad_normalisation_exact_match_and_f1() -> None:
    assert metrics.normalize_answer("The  U.S. Senate!") == "us senate"
    assert metrics.exact_match("the Europe.", "Europe") == 1.0
    assert metrics.exact_match("Asia", "Europe") == 0.0
    assert metrics.token_f1("Seresto collar", "Seresto collar") == 1.0
    assert metrics.token_f1("the Seresto flea collar", "Seresto collar") == pytest.approx(0.8)
    assert metrics.token_f1("", "Europe") == 0.0 and metrics.token_f1("Europe", "") == 0.0
    assert metrics.contains_answer("European regulators chose Europe-wide USB-C.", "USB-C") == 1.0
    assert metrics.contains_answer("Europe requires it.", "Asia") == 0.0


def test_retrieval_metrics_perfect_empty_and_late() -> None:
    gold = {"d1"}
    assert metrics.hits_at(["d1", "d2"], gold, 1) == 1.0 and metrics.reciprocal_rank(["d1"], gold) == 1.0
    assert metrics.hits_at([], gold, 10) == 0.0 and metrics.reciprocal_rank([], gold) == 0.0
    ranked = ["d2", "d2", "d3", "d1"]  # a repeated article counts once
    assert metrics.hits_at(ranked, gold, 2) == 0.0 and metrics.hits_at(ranked, gold, 3) == 1.0
    assert metrics.reciprocal_rank(ranked, gold) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank([f"x{i}" for i in range(10)] + ["d1"], gold, k=10) == 0.0


def test_citations_perfect_run() -> None:
    answer = [CitedSentence(PARIS, (PARIS,)), CitedSentence(ROME, (ROME + " " + LONDON,))]
    score = citation_scores(answer, entails)
    assert (score.recall, score.precision, score.sentences, score.citations) == (1.0, 1.0, 2, 2)


def test_citations_empty_run() -> None:
    score = citation_scores([], entails)
    assert (score.recall, score.precision, score.citations) == (0.0, 0.0, 0)
    uncited = citation_scores([CitedSentence(PARIS, ())], entails)
    assert (uncited.recall, uncited.precision) == (0.0, 0.0)


def test_a_wrong_citation_costs_recall_and_precision() -> None:
    score = citation_scores([CitedSentence(PARIS, (ROME,)), CitedSentence(LONDON, (LONDON,))], entails)
    assert score.recall == 0.5 and score.precision == 0.5


def test_alce_precision_needed_or_sufficient() -> None:
    # Paris alone suffices; Rome is neither needed nor sufficient: one of two citations is imprecise.
    over = citation_scores([CitedSentence(PARIS, (PARIS, ROME))], entails)
    assert over.recall == 1.0 and over.precision == 0.5
    # Two passages needed together: each is needed, so both are precise.
    both = f"{PARIS} {ROME}"
    joint = citation_scores([CitedSentence(both, (PARIS, ROME))], entails)
    assert joint.recall == 1.0 and joint.precision == 1.0
    # Two passages that each suffice: each is sufficient alone, so both are precise.
    twice = citation_scores([CitedSentence(PARIS, (PARIS, PARIS + " " + ROME))], entails)
    assert twice.precision == 1.0


def test_percentile_and_mean() -> None:
    assert metrics.percentile([], 50) == 0.0
    assert metrics.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert metrics.percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert metrics.mean([]) == 0.0 and metrics.mean([1.0, 2.0]) == 1.5


def test_short_answers_agree_when_one_holds_the_other() -> None:
    assert metrics.answers_agree("Harvard", "Harvard University")
    assert metrics.answers_agree("UK Prime Minister Boris Johnson", "Boris Johnson")
    assert metrics.answers_agree("the Denver Broncos.", "denver broncos")
    assert not metrics.answers_agree("Hurricane Maria", "Hurricane Fiona")  # a shared word is not the answer
    assert not metrics.answers_agree("47 billion", "$50 billion")
    assert not metrics.answers_agree("", "Idaho") and not metrics.answers_agree("Idaho", "")
    assert not metrics.answers_agree("Mississippi River", "Miss")  # whole words only


def test_short_answers_agree_in_another_order_or_spelling() -> None:
    assert metrics.answers_agree("Houston Astros vs. Philadelphia Phillies", "The Astros and the Philadelphia Phillies")
    assert metrics.answers_agree("nine-year", "nine years") and metrics.answers_agree("9", "nine years")
    assert metrics.answers_agree("1.9M", "1.9 million") and metrics.answers_agree("50%", "50 percent")
    assert metrics.answers_agree("2,500", "2500 people")
    assert not metrics.answers_agree("1.9 million", "19 million")  # the decimal point counts
    assert metrics.answers_agree("19,000,100", "$19 million")  # the same sum, rounded as the news rounds it
    assert metrics.answers_agree("$1.25 billion", "1,250,000,000") and metrics.answers_agree("19M", "19000100")
    assert not metrics.answers_agree("4,200,000", "4 million")  # 5% off is another figure
    assert not metrics.answers_agree("19,000,100", "$19 billion")
    assert not metrics.answers_agree("the", "a")  # joiners alone are no answer


def test_short_answers_agree_across_month_abbreviations_and_fraction_forms() -> None:
    assert metrics.answers_agree("Oct. 26", "October 26") and metrics.answers_agree("29 August", "Aug. 29")
    assert not metrics.answers_agree("Oct. 26", "November 26") and not metrics.answers_agree("Oct. 26", "Oct. 27")
    assert metrics.answers_agree("one-fifth", "1/5") and metrics.answers_agree("a fifth of the dose", "1/5")
    assert not metrics.answers_agree("one-fifth", "1/4") and not metrics.answers_agree("1/5", "5")
    assert metrics.answers_agree("a third person", "third person")  # an ordinal, not a fraction
