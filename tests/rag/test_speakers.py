"""Who a sentence says said something (rag/speakers.py)."""

from __future__ import annotations

from rag.claims_compare import compare
from rag.judge import missing_names
from rag.speakers import speakers


def test_who_said_it_is_read_past_a_weekday_a_suffix_and_an_acronym() -> None:
    assert speakers("Mayor Lee on Tuesday said the bridge would reopen.") == {"lee"}
    assert speakers("Garcia on Friday morning told reporters the plan was ready.") == {"garcia"}
    assert "okafor" in speakers("Finance Minister Daniel Okafor Jr. said in a briefing that rates would rise.")
    assert "ndma" in speakers("The National Disaster Management Agency (NDMA) said roads were closed.")
    # after "said", a name followed by what was said is not the speaker
    assert speakers("Garcia said Metro Link would cost $2 a ride.") == {"garcia"}
    assert speakers("The fare will rise, said Garcia in a statement.") == {"garcia"}
    assert speakers("The fare will rise, according to the Transit Board report.") == {"board"}


def test_someone_who_speaks_for_a_body_is_read_after_its_title() -> None:
    sentence = "Tuesday is expected to be even hotter, according to the Met Office's CEO, Penelope Endersby."
    assert speakers(sentence) == {"office", "endersby"}
    assert speakers("The plan stands, said the Transit Board's chair Ana Ruiz.") == {"board", "ruiz"}
    assert speakers("\u201cNo,\u201d said the CDC's director Rochelle Walensky.") == {"cdc", "walensky"}
    assert speakers("\u201cNo,\u201d said Cosby's spokesperson Andrew Wyatt.") == {"wyatt"}  # not Cosby himself
    # what follows "said X's title Name" is what was said, not who said it
    assert speakers("Prices rose, said Apple's CEO Tim Cook would retire.") == set()


def test_a_name_set_off_by_commas_before_the_verb_is_the_speaker() -> None:
    sentence = "The head of the opposition Green Party, Mara Lind, said the budget came far too late."
    assert speakers(sentence) == {"party", "lind"}
    assert not compare("Green Party leader Mara Lind said the budget came far too late.", sentence).mismatches
    assert speakers("Tom Reyes, the mayor, said the pool would reopen.") == {"reyes"}  # not a name: no speaker


def test_a_statement_given_as_someones_names_its_speaker() -> None:
    owned = "The slump follows Finance Minister Dara Vance's announcement on Friday that taxes would be cut."
    assert "vance" in speakers(owned)
    # so a later "said" in the same window does not stand in for who announced it
    window = owned + " \u201cThat is a gamble,\u201d said Ben Ortiz, an economist."
    assert not compare("On Friday, Vance announced that taxes would be cut.", window).mismatches
    assert speakers("Vance's plan to cut taxes worried markets.") == set()  # a plan is not a statement


def test_a_name_the_source_gives_as_its_acronym_is_not_left_out() -> None:
    claim = "The United States did not warn Taliban officials before the strike."
    assert missing_names(claim, "The US did not alert Taliban officials ahead of the strike.") == []
    assert missing_names(claim, "The U.S. did not alert Taliban officials ahead of the strike.") == []
    assert missing_names("United Airlines cancelled 40 flights.", "A US airline cancelled 40 flights.") == ["United"]


def test_a_speaker_of_an_organisation_and_the_name_after_a_long_title() -> None:
    assert speakers("Ann Lee of the Harbor Institute said rents rose.") == {"lee", "institute"}
    long_title = "Water is back, according to Coast Water and Sewer Authority Executive President Rosa Ortiz."
    assert "ortiz" in speakers(long_title)
    assert not compare("Water is back, according to Rosa Ortiz.", long_title).mismatches


def test_whom_a_claim_gives_a_quote_to_is_its_speaker() -> None:
    quote = "\u201cHe has been responsible for lies, scandal and fraud on an industrial scale,\u201d said Mara Lind."
    given = 'Tom Reyes accused the mayor of "lies, scandal and fraud on an industrial scale".'
    assert compare(given, quote).mismatches == ("speakers differ: claim reyes; source lind",)
    assert not compare(given.replace("Tom Reyes", "Mara Lind"), quote).mismatches
    # words the source does not quote make nobody the speaker
    assert not compare('Tom Reyes accused the mayor of "running a cartel".', quote).mismatches


def test_a_name_at_the_end_of_a_sentence_is_still_found_as_its_acronym() -> None:
    claim = "They reached the ISS on a spacecraft built in the United States."
    assert missing_names(claim, "They were the first to reach the ISS on a US-made spacecraft.") == []


def test_who_praised_or_described_something_is_its_speaker() -> None:
    assert speakers("Pitching coach Joshua Miller praised Vazquez for his role.") == {"miller"}
    assert "leyen" in speakers("Commission President Ursula von der Leyen described the strikes as acts of terror.")


def test_a_speaker_of_a_body_whose_name_has_of_in_it() -> None:
    """The person, not the body's last words, is who said it."""
    claim = "Michael Gapen of Bank of America Global Research said the Fed sees food prices as beyond its control."
    assert "gapen" in speakers(claim)
    assert "zoysa" in speakers("Dr. Pushpa Zoysa of the National Hospital of Sri Lanka said 55 people were hurt.")
    assert speakers("Ann Lee of the Harbor Institute said the plan works.") == {"lee", "institute"}


def test_a_hyphenated_surname_is_one_speaker() -> None:
    claim = "Karine Jean-Pierre said the President would isolate at the White House."
    source = "\u201cHe will isolate at the White House,\u201d Jean-Pierre said in a statement."
    assert not [m for m in compare(claim, source).mismatches if m.startswith("speakers")]
    assert [m for m in compare(claim, source.replace("Jean-Pierre", "Klain")).mismatches if m.startswith("speakers")]


def test_a_club_or_company_suffix_is_not_the_speaker() -> None:
    assert speakers("Racing Louisville FC said in a statement Wednesday that it was a mistake.") == {"louisville"}
    assert speakers("Tesla Inc said on Monday that deliveries rose.") == {"tesla"}
