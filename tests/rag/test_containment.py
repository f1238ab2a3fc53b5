"""Whether a quote says a short answer (rag/containment.py)."""

from rag.containment import contains, echoes, given_words
from rag.lexical import statements


def test_containment_reads_number_words_acronyms_and_longer_words() -> None:
    quote = "Three of the SCO members border Afghanistan, and 1,200,000 people fled to Europe's south."
    assert contains(quote, "three members") and contains(quote, "3 members") and contains(quote, "1.2 million people")
    assert not contains(quote, "four members") and not contains(quote, "1.3 million people")
    aliases = {"SCO": "Shanghai Cooperation Organization"}
    assert contains(quote, "the Shanghai Cooperation Organization", aliases)
    assert not contains(quote, "the Shanghai Cooperation Organization")  # without the index's acronyms
    assert contains("The Shanghai Cooperation Organization met.", "SCO", aliases)
    assert contains(quote, "Europe") and not contains(quote, "Asia") and not contains(quote, "Yes")
    assert contains("European leaders met.", "Europe") and contains("Democratic senators", "Democrat")
    # a word that only begins the quote's word names someone who does it, not the thing itself
    greaser = "She romances Travolta's alpha greaser Danny at a high school."
    assert not contains(greaser, "Grease") and not contains("The farmers protested.", "farm")


def test_a_question_in_the_quote_contains_no_answer() -> None:
    quiz = 'Starbucks brought back a drink known as the "PSL." What does "PSL" stand for?'
    assert statements(quiz) == 'Starbucks brought back a drink known as the "PSL."'
    assert not contains(quiz, "PSL stands for") and contains(quiz, "PSL")
    assert not contains("Is it Europe?", "Europe") and contains("Is it Europe? It is Europe.", "Europe")
    assert statements("It grew 1.9 percent. Why?") == "It grew 1.9 percent."  # decimals are no sentence end


def test_a_short_answer_may_repeat_the_question_and_the_quote_s_year() -> None:
    quote = "NASA's newest explorer -- the Imaging X-Ray Polarimetry Explorer, or IXPE -- shared its first images."
    question = "What does the acronym IXPE stand for?"
    answer = "IXPE stands for Imaging X-Ray Polarimetry Explorer"
    assert not contains(quote, answer) and contains(quote, answer, given=given_words(question))
    assert not contains(quote, "IXPE stands for", given=given_words(question))  # nothing but the question
    assert not contains(quote, "IXPE stands for Chandra", given=given_words(question))
    stores = "The company stopped activity in all its stores on July 20, according to a report."
    when = "On what date did the stores close?"
    assert contains(stores, "July 20, 2022", given=given_words(when, "2022-08-10"))
    assert not contains(stores, "July 20, 2021", given=given_words(when, "2022-08-10"))
    assert not contains(stores, "July 21, 2022", given=given_words(when, "2022-08-10"))
    fed = "The Fed said it will start reducing its $9 trillion balance sheet starting June 1."
    asked = "From what date did the Federal Reserve say in May 2022 it would start reducing its balance sheet?"
    assert contains(fed, "June 1", given=given_words(asked)) and contains(fed, "1 June")
    assert not contains(fed, "May 1", given=given_words(asked))  # the month the question gave, a day of another


def test_a_short_answer_that_only_repeats_the_question_is_no_answer() -> None:
    aliases = {"IRS": "Internal Revenue Service"}
    assert echoes("Internal Revenue Service", "The IRS announced it will do what this week?", aliases)
    assert not echoes("Internal Revenue Service", "What does IRS stand for?", aliases)
    assert not echoes("IRS stands for Internal Revenue Service", "What does the acronym IRS stand for?", aliases)
    assert echoes("Alexei Navalny", "What did Alexei Navalny go on to protest his treatment?")
    assert not echoes("hunger strike", "What did Alexei Navalny go on to protest his treatment?")
    assert not echoes("Russia", "Did Russia or Ukraine sign the deal?")  # the question offers the choice
    assert not echoes("nine years", "How many years is she due to serve?")


def test_months_match_their_abbreviations_and_fractions_match_by_value() -> None:
    quote = "Zuckerberg spoke on the third-quarter earnings call on Oct. 26, giving a fifth of the time to AI."
    assert contains(quote, "October 26") and contains("It opened on October 26.", "Oct. 26")
    assert not contains(quote, "October 27") and not contains(quote, "November 26")
    assert contains(quote, "1/5") and contains(quote, "one-fifth") and contains(quote, "one fifth of the time")
    assert not contains(quote, "1/4") and not contains(quote, "two-thirds")
    assert contains("Two-thirds of voters agreed.", "2/3 of voters") and contains("Half of them left.", "1/2")
