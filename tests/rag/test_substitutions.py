from __future__ import annotations

from rag import judge
from rag.judge import Judgement
from rag.substitutions import substitution

LIV = "The LIV Golf season-ending team championship will be held in Las Vegas."
MIAMI = (
    "The final individual competition takes place from October 14-16 in Jeddah, Saudi Arabia, while the "
    "season-ending team championship event will be held in Miami between October 28-30."
)


def test_a_name_in_the_claims_names_place_is_a_substitution() -> None:
    found = substitution(LIV, MIAMI)
    assert found is not None
    assert (found.claimed, found.stated, found.context) == ("Las Vegas", "Miami", "be held in")
    swapped = substitution(
        "Spain's wildfires forced the state railway to suspend service between Madrid and Barcelona.",
        "Fire also forced the state railway company to suspend service between Madrid and Galicia.",
    )
    assert swapped is not None and (swapped.claimed, swapped.stated) == ("Barcelona", "Galicia")
    after = substitution(
        "The Washington Post first reported that prosecutors had named Giuliani a target.",
        "The New York Times first reported that prosecutors had named Giuliani a target.",
    )
    assert after is not None and (after.claimed, after.stated) == ("Washington Post", "New York Times")
    # articles do not count as context: "residency at the Flamingo" against "residency at Caesars Palace"
    venue = substitution(
        "She had a long-running residency at Caesars Palace.", "She had a long-running residency at the Flamingo."
    )
    assert venue is not None and (venue.claimed, venue.stated) == ("Caesars Palace", "Flamingo")


def test_a_name_the_source_gives_or_spells_out_is_no_substitution() -> None:
    # the claim's name is in the source too (another sentence of the window says it)
    both = "One death was reported in Maryland. Seven infections were reported in New York."
    assert substitution("The one death was reported in New York.", both) is None
    # an acronym against its long form, defined or not
    eia = "According to the US Energy Information Administration, prices would have to rise above $5.30."
    assert substitution("According to the EIA, prices would have to rise above $5.30.", eia) is None
    assert substitution("It was held in the US last year.", "It was held in the United States last year.") is None
    assert (
        substitution("It was held in the SCO summit.", "It was held in the Shanghai summit.", {"SCO": "Shanghai"})
        is None
    )
    # no shared words beside the names, or only stop words: not the same slot
    assert substitution("Murray was born in Texas.", "Murray won the Heisman Trophy in Oklahoma.") is None
    assert substitution("So it is in Paris.", "So it is in Rome.") is None


def test_pronouns_and_units_are_not_names() -> None:
    quote = 'Squire said. "We\'ll have to see some chats or testimony from informants to know."'
    assert (
        substitution("We'll have to see some chats or testimony from informants to know what happens.", quote) is None
    )
    paris = "Signatories of the Paris Agreement committed to limiting warming to well below 2C."
    assert (
        substitution("The Paris Agreement's signatories committed to limiting warming to well below 2C.", paris) is None
    )


def test_a_substitution_contradicts_a_claim_nothing_supports() -> None:
    assert judge.conflict(LIV, MIAMI).kind == "substitution"
    assert judge.conflict(LIV, MIAMI).decisive
    unrelated, contradicts = Judgement("not_found", ("unrelated",)), Judgement("contradicted", ("contradicts",))
    # a close sentence (0.5-0.6): the judge's contradiction or its silence stands only if nothing supports
    assert judge.guard(LIV, contradicts, [MIAMI], [0.5], 0.45).verdict == "contradicted"
    assert judge.guard(LIV, unrelated, [MIAMI], [0.55], 0.45).verdict == "contradicted"
    stated = "LIV said the team championship will be held in Las Vegas this year."
    both = Judgement("supported", ("contradicts", "supports"))
    assert judge.guard(LIV, both, [MIAMI, stated], [0.5, 0.8], 0.45).stances == ("unrelated", "supports")
    # further off the claim's topic, a name in the same slot says nothing of it
    assert judge.guard(LIV, contradicts, [MIAMI], [0.45], 0.45).verdict == "not_found"
