"""Whether the articles an answer cites are about what the question asks (rag/answer_scope.py)."""

from rag.answer_scope import CitedArticle, echoes, missing_figures, off_topic

MARYLAND = CitedArticle(
    "Fake Covid-19 testing sites put consumers at risk, officials say",
    "In December 2020, Maryland Attorney General Brian Frosh issued a news release warning consumers "
    "about unauthorized Covid-19 testing operations.",
)


def test_a_name_the_cited_article_never_mentions_withholds_the_answer() -> None:
    question = "Which Oregon attorney general warned people about pop-up Covid-19 testing sites?"
    reason = off_topic(question, "Brian Frosh", [MARYLAND])
    assert "does not mention \u201cOregon\u201d" in reason and "not shown" in reason
    maryland = question.replace("Oregon", "Maryland")
    assert off_topic(maryland, "Brian Frosh", [MARYLAND]) == ""


def test_names_count_as_mentioned_through_acronyms_countries_and_titles() -> None:
    article = CitedArticle(
        "Americans see the highest food price rise in a decade",
        "The Shanghai Cooperation Organization met in Dushanbe; American consumers paid more for beef.",
    )
    assert (
        off_topic("What did the SCO say in Dushanbe?", "", [article], {"SCO": "Shanghai Cooperation Organization"})
        == ""
    )
    assert off_topic("How did US beef prices change?", "", [article]) == ""  # "American" is the US
    assert off_topic("Why are Americans paying more for food?", "", [article]) == ""
    assert "\u201cNATO\u201d" in off_topic("What did NATO say in Dushanbe?", "", [article])
    two = [article, MARYLAND]  # one of several cited articles mentioning it is enough
    assert off_topic("What did Maryland's Brian Frosh say about SCO testing sites?", "", two) == ""


def test_an_answer_that_repeats_the_question_is_no_answer() -> None:
    question = "Which Russian metals giant is headed by Vladimir Potanin?"
    assert echoes(question, "Vladimir Potanin") and echoes(question, "Potanin")
    assert not echoes(question, "Norilsk Nickel") and not echoes(question, "")
    assert not echoes("Who won, Biden or Trump?", "Biden")  # a choice: the answer is one of its words
    article = CitedArticle("Potanin warns", "Billionaire metals tycoon Vladimir Potanin pushed back.")
    assert "only repeats the question" in off_topic(question, "Vladimir Potanin", [article])


def test_a_statistic_of_the_question_must_be_in_the_cited_article() -> None:
    text = "The 6.8% jump in inflation was the largest since 1982; a 7-magnitude quake; gas at $4.99, 1,700 shows."
    question = "The 7.9% annual inflation rate was the highest since when?"
    assert missing_figures(question, text) == ["7.9%"]
    assert missing_figures("Was it the 6.8 percent rise?", text) == []
    assert missing_figures("Which country had a 7.0-magnitude quake?", text) == []  # 7 and 7.0 are one figure
    assert missing_figures("Did gas cost $4.87 or $4.99?", text) == ["$4.87"]
    # plain counts, years and numbers inside names are the question's premise, not a statistic
    assert missing_figures("After 50 days, which Covid-19 rule of 2021 ended for 31 men in the G20?", text) == []
    assert missing_figures("How many of the 1,700 shows?", text) == []
    reason = off_topic(question, "1982", [CitedArticle("Inflation", text)])
    assert "does not give \u201c7.9%\u201d" in reason


def test_nothing_cited_gives_no_reason() -> None:
    assert off_topic("Which Oregon attorney general?", "Brian Frosh", []) == ""


def test_the_news_home_country_and_sentence_openers_may_go_unsaid() -> None:
    article = CitedArticle("Gas prices tumble", "Gas prices hit a record average high of $5.02 on June 14, said AAA.")
    assert off_topic("US gas prices have been falling. What was the record high?", "$5.02", [article]) == ""
    assert off_topic("What record did AAA report for British gas prices?", "$5.02", [article]) == ""
    question = "Corporate boycotts are spreading. Among the companies, which one did AAA drop?"
    assert off_topic(question, "x", [article]) == ""  # "Corporate" and "Among" only open sentences
    assert "\u201cCanadian\u201d" in off_topic("What record did AAA report for Canadian gas prices?", "x", [article])
    assert "\u201cCorporate\u201d" in off_topic("Which Corporate America firm did AAA name?", "x", [article])


def test_a_capital_standing_for_its_country_is_mentioned_by_the_country() -> None:
    article = CitedArticle("Tycoon warns", "Russian billionaire Vladimir Potanin heads Norilsk Nickel.")
    assert off_topic("Which giant is headed by the tycoon who urged Moscow not to seize assets?", "x", [article]) == ""
    assert off_topic("Which Kremlin critic heads Norilsk Nickel?", "x", [article]) == ""
    assert off_topic("Which London paper wrote about Norilsk Nickel?", "x", [article]) == ""  # the UK, a home country
    assert "\u201cBeijing\u201d" in off_topic("What did the tycoon tell Beijing about Norilsk Nickel?", "x", [article])


def test_who_the_question_says_spoke_must_be_mentioned_too() -> None:
    """The claim judge compares who said it on its own; a question's speaker is what it is about."""
    article = CitedArticle("What to expect on Day 3", "Now the committee will hold two hearings next week.")
    reason = off_topic("The IRS announced it will do what this week?", "hold two hearings", [article])
    assert "\u201cIRS\u201d" in reason


def test_the_language_of_a_phrase_the_question_asks_for_may_go_unsaid() -> None:
    article = CitedArticle("A royal year", "The Queen called 1992 her annus horribilis: three marriages collapsed.")
    assert off_topic("What Latin phrase did the Queen use to describe 1992?", "annus horribilis", [article]) == ""
    assert off_topic("Which Latin words did the Queen use for 1992?", "annus horribilis", [article]) == ""
    assert "\u201cLatin\u201d" in off_topic("What did the Queen say of Latin America in 1992?", "x", [article])


def test_the_outlet_that_published_the_quote_is_no_answer() -> None:
    article = CitedArticle(
        "Long Covid risk extends two years",
        "Getting sick is bad enough. Yet Friedberg told CNN there have been no decisions.",
        outlet="CNN",
    )
    question = "Which journal published the August 2022 study of 1.25 million patients?"
    assert "outlet that published" in off_topic(question, "CNN", [article])
    assert "outlet that published" in off_topic(question, "the CNN", [article])
    assert "outlet that published" not in off_topic(question, "Friedberg", [article])
    assert "outlet that published" not in off_topic("Which CNN show interviewed Friedberg?", "CNN", [article])
    other = CitedArticle("Study", "The Lancet Psychiatry published it, CNN said.", outlet="USA Today")
    assert "outlet that published" not in off_topic(question, "CNN", [other])  # another outlet's name is an answer
    assert "outlet that published" not in off_topic(question, "CNN", [article, other])
