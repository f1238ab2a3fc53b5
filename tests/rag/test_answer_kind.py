"""What kind of answer a question wants, and the short answer's form (rag/answer_kind.py)."""

from rag.answer_kind import DATE, NUMBER, gives, wanted


def test_a_question_wants_a_number_or_a_date_and_a_sentence_gives_one() -> None:
    assert wanted("How many fans filled the stadium?") == NUMBER and wanted("At what age did he die?") == NUMBER
    assert wanted("When did the stores close?") == DATE and wanted("On what date did it end?") == DATE
    assert wanted("What did he say when asked?") == "" and wanted("Who won?") == ""
    assert gives("On May 11 the vote failed.", DATE) and not gives("He may vote.", DATE)
    assert gives("A crowd of 47,583 saw it.", NUMBER) and gives("Three people died.", NUMBER)
    assert not gives("The crowd cheered.", NUMBER) and not gives("The crowd cheered.", "")


def test_the_short_answer_drops_the_question_s_own_noun() -> None:
    from rag.answer_kind import without_question_noun as trimmed

    assert trimmed("Azovstal steel plant", "Which steel plant did Putin call off plans to storm?") == "Azovstal"
    assert trimmed("11 million shares", "How many shares did she receive?") == "11 million"
    assert trimmed("country music", "Which music genre was she known for?") == "country"
    assert trimmed("Harvard University", "Which university?") == "Harvard University"  # a name stays whole
    assert trimmed("394 feet", "How far did it land?") == "394 feet"
    assert trimmed("2 million swings and 220,000 rockers", "How many swings and rockers?") == (
        "2 million swings and 220,000 rockers"
    )
    assert trimmed("the plant", "Which plant?") == "the plant" and trimmed("plant", "Which plant?") == "plant"


def test_what_a_how_many_question_counts_must_be_what_the_quote_counts() -> None:
    from rag.answer_kind import counted, counts

    pages = counted("About how many pages of documents were seized in the search?")
    assert pages == {"page"}
    assert not counts("FBI agents seized another 33 boxes during the search.", pages)
    assert counts("Agents took some 11,000 pages of records.", pages)
    assert not counts("About 300 farmers came.", counted("How many farms were sold?"))
    swings = counted("How many baby swings and rockers were recalled this week?")
    assert swings == {"baby", "swing"} and counts("The recall of 2 million MamaRoo swings.", swings)
    assert counted("How many times has she won?") == set() and counted("How many were killed?") == set()
    assert counted("Who won?") == set() and counts("Anything at all.", counted("Who won?"))
