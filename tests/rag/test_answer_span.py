"""What a long answer sentence says beyond its question (rag/answer_span.py)."""

from rag.answer_span import novel

PELOSI = "What head injury did Paul Pelosi have surgically repaired after being attacked in his San Francisco home?"


def test_the_one_run_of_new_words_is_the_answer() -> None:
    question = "What price per share did Elon Musk offer for Twitter in his $44 billion takeover deal?"
    sentence = "Musk offered $54.20 per share for Twitter in his $44 billion takeover deal."
    assert novel(sentence, question) == "$54.20"
    sentence = (
        "Paul Pelosi had a skull fracture and serious injuries to his right arm and hands, which were surgically "
        "repaired after being attacked in his San Francisco home."
    )
    # one given word ("injuries") between new ones does not break the run
    assert novel(sentence, PELOSI) == "skull fracture and serious injuries to his right arm and hands"


def test_no_span_when_there_is_nothing_clear_to_read() -> None:
    assert novel("A skull fracture.", PELOSI) == ""  # short already: validated as it is
    echo = "Paul Pelosi was attacked in his San Francisco home and then had the injury surgically repaired."
    assert novel(echo, PELOSI) == ""  # says nothing the question did not
    scattered = "In Oakland, Paul Pelosi had a head injury repaired surgically after being attacked at home by DePape."
    assert novel(scattered, PELOSI) == ""  # two runs: which one answers is not clear
    netflix = "What did Netflix raise in January 2022, days before reporting its earnings, lifting its stock price?"
    raised = "Netflix raised its prices on January 14, 2022, before reporting its earnings, lifting its stock price."
    assert novel(raised, netflix) == ""  # a bare "14" answers no "what" ("raised"/"raise", "prices"/"price")
    assert novel(raised, netflix.replace("What did", "On what date did")) == "14"
    whole = "Surgeons repaired a fractured skull and two broken hands and an injured right arm for Paul Pelosi."
    assert novel(whole, PELOSI) == ""  # as long as the sentence: nothing to cut
