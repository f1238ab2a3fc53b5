"""Acronyms a text defines, and those it only spells out (index/acronyms.py)."""

from __future__ import annotations

from index.acronyms import acronyms, spelled_out, used


def test_an_acronym_defined_in_brackets() -> None:
    text = "Leaders of the Shanghai Cooperation Organization (SCO) met in Samarkand."
    assert acronyms([text]) == {"SCO": "Shanghai Cooperation Organization"}
    assert used("What did the SCO say?") == ["SCO"]


def test_an_acronym_only_spelled_out_is_found_by_its_initials() -> None:
    texts = [
        "The United States Women\u2019s National Team play England in a friendly at Wembley on Friday.",
        "Officials at the Centers for Disease Control and Prevention said so.",
    ]
    found = spelled_out(["USWNT", "CDC", "NATO"], texts)
    assert found == {"USWNT": "United States Women\u2019s National Team", "CDC": "Centers for Disease Control"}


def test_initials_do_not_run_across_a_list_or_start_from_small_words() -> None:
    assert spelled_out(["TUN"], ["Flights to Texas, Utah, Nevada and Oregon."]) == {}
    assert spelled_out(["US"], ["The United States said"]) == {}  # two letters: too many false matches
    assert spelled_out(["TUS"], ["The United States said"]) == {}  # "The" opens the sentence, not the name


def test_a_lower_case_run_that_spells_the_acronym_exactly() -> None:
    texts = ["Barry McCarthy, the former chief financial officer of Spotify, will become its CEO."]
    assert spelled_out(["CFO", "CEO"], texts) == {"CFO": "chief financial officer"}
    assert spelled_out(["ACE"], ["a cat eats fish"]) == {}  # words of three letters or more
    assert spelled_out(["TUN"], ["flights to texas, utah, nevada"]) == {}  # not across a list
    # a capitalised long form anywhere wins over a lower-case run
    assert spelled_out(["CFO"], ["the chief financial officer left", "Chief Financial Officer Ann Lee"]) == {
        "CFO": "Chief Financial Officer"
    }
