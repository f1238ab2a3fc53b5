"""The word-level helpers the judge's checks share."""

from __future__ import annotations

import pytest

from rag import lexical


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("The cancer Newton-John revealed in 2018 was her third.", "The cancer Newton-John "),
        ("Johnson survived a confidence vote.", "Johnson "),
        ("Patriot Front is based in Idaho.", "Patriot Front "),
        ("Five of the men arrested in Idaho are from Washington.", "Five of the men "),
        ("Kwarteng told reporters the cuts would stay.", "Kwarteng "),
        ("Breakfast tacos everywhere", ""),  # no verb found: nothing is taken as the subject
    ],
)
def test_subject_is_what_comes_before_the_first_verb(text: str, about: str) -> None:
    assert lexical.subject(text) == about


def test_number_words_are_compared_by_value_not_counted_as_words() -> None:
    """ "five hundred" is 500 for the figure checks; in the word recall "hundred" (stemmed "hundr")
    is no word the source must repeat."""
    claim = "The complex will house five hundred single men at first."
    assert lexical.recall(claim, "The complex will initially house 500 single men.") == lexical.recall(
        claim.replace("five hundred ", ""), "The complex will initially house 500 single men."
    )


def test_superlatives_that_say_the_same_are_one() -> None:
    assert lexical.superlatives("the wealthiest owner and the biggest deal") == {"richest", "largest"}
    assert lexical.superlatives("the tallest tower") == lexical.superlatives("the highest tower") == {"highest"}
    assert lexical.superlatives("the oldest team") != lexical.superlatives("the richest team")


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("Britain's tax on energy profits", "the UK government's tax on energy profits"),
        ("the Dutch government", "the government of the Netherlands"),
        ("Mexican officials", "officials in Mexico"),
        ("Ukraine's air force", "the Ukrainian air force"),
        ("Kazakh officials", "officials in Kazakhstan"),
    ],
)
def test_the_names_of_one_country_are_one_word(claim: str, evidence: str) -> None:
    assert lexical.recall(claim, evidence) == 1.0


def test_names_of_different_countries_stay_apart() -> None:
    assert lexical.recall("French officials", "officials in Spain") < 1.0
    assert not lexical.related("britain", "france")


def test_a_preposition_that_opens_a_sentence_names_nothing() -> None:
    assert lexical.names("Alongside its results, BP said it would lift its dividend.") == {"BP"}
    assert lexical.names("Britain's tax will help pay for it.") == {"Britain"}


def test_a_member_is_of_the_body_or_trade_he_is_named_for() -> None:
    assert lexical.related("guardsmen", "guard") and lexical.related("congressman", "congress")
    assert lexical.related("spokeswoman", "spoke") and not lexical.related("goldman", "gold")
    assert not lexical.related("german", "ger") and not lexical.related("woman", "wo")


def test_an_acronym_with_full_stops_is_the_acronym() -> None:
    from rag.judge import missing_names, undotted

    assert undotted("the U.S. Open and the U.N.") == "the US Open and the UN"
    assert missing_names("When does the U.S. Open begin?", "The US Open starts on Aug. 29.") == []
    assert missing_names("When does the US Open begin?", "The U.S. Open starts on Aug. 29.") == []
    assert missing_names("When does the U.S. Open begin?", "Wimbledon starts on June 27.") == ["Open", "US"]
    assert missing_names("How many National Guardsmen were called up?", "2,500 National Guard members were.") == []
