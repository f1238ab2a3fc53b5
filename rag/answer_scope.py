"""Whether a cited answer is about what the question asks.

The citation validator and the judge check that each answer sentence says what its quote says.
They cannot see that the quote is about something else: asked "Which Oregon attorney general
warned ...?", the sentence "Maryland Attorney General Brian Frosh issued a news release warning
..." is verbatim and supports "Brian Frosh" perfectly, as the answer to another question. When
the article that states the answer is not in the index, the nearest one often states such a
neighbouring fact, so this is where a wrong answer comes from when the right one is missing.

Four checks of the question against the articles the answer cites (their whole text, title
and outlet), each a reason to say "not in the corpus" instead:

- the short answer only repeats the question ("Vladimir Potanin" for "Which metals giant is
  headed by Vladimir Potanin?"): the model found the question's subject, not its answer;
- the short answer is the outlet that published every cited article, which the question does not
  name: an article names itself to say whom it spoke to or what it saw ("Friedberg told CNN",
  "documents viewed by CNN"), which is no answer to "Which journal published the study?";
- a statistic the question gives ("the 7.9% inflation rate") that no cited article states;
- a name the question gives that no cited article mentions ("Oregon"), checked as the claim
  judge checks a claim's names (:func:`rag.judge.missing_names`): acronyms, countries and their
  adjectives, first names with their surnames all count as mentions, and so does a country for
  its capital ("Moscow" in an article on Russia). Unlike a claim's, the question's speaker must
  be mentioned too ("The IRS announced ..."). The country the news is written in ("US gas
  prices"), the language of a phrase the question asks for ("What Latin phrase ...?") and a word
  capitalised only because it opens one of the question's sentences are not required.

Re-scored offline on stored eval reports by ``bench/answer_scope.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rag import countries, lexical
from rag.judge import missing_names

#: A statistic as written in a question: "7.9%", "$4.87", "3.5 percent", "1.2 million". Only
#: these identify a fact; a plain count ("for more than 50 days", "31 men") is often the
#: question's rounding or its own premise, and a year is compared as a date.
_NUMBER = re.compile(r"(?<![\w.,-])\d(?:[\d,.]*\d)?")
_STATISTIC = re.compile(r"^(?:[$\u00a3\u20ac]\s?\S|\S+(?:\s?%|\s+percent\b|\s+per\s+cent\b))")


@dataclass(frozen=True)
class CitedArticle:
    """An article an answer cites: its title, its whole text and its outlet."""

    title: str
    text: str
    outlet: str = ""


def off_topic(
    question: str, short: str, articles: Sequence[CitedArticle], aliases: Mapping[str, str] | None = None
) -> str:
    """Why the cited ``articles`` do not answer ``question`` (a sentence for the user), or "" when
    nothing shows that they do not. ``short`` is the model's short answer ("" if none)."""
    if not articles:
        return ""
    if echoes(question, short):
        return f"The model's answer \u201c{short}\u201d only repeats the question, so it is not shown."
    if names_publisher(question, short, articles):
        return (
            f"The model's answer \u201c{short}\u201d is the outlet that published the cited article, which names "
            "itself only as the one reporting, so it is not shown."
        )
    text = "\n".join(f"{a.title}\n{a.text}" for a in articles)
    figures = missing_figures(question, text)
    if figures:
        return (
            f"The cited article{'s do' if len(articles) > 1 else ' does'} not give {_listed(figures)}, which the "
            "question does, so the answer may be about something else and is not shown."
        )
    words = set(lexical.words(text))
    names = [
        n for n in missing_names(question, text, aliases, speakers_apart=False) if not _implicit(n, question, words)
    ]
    if names:
        return (
            f"The cited article{'s do' if len(articles) > 1 else ' does'} not mention {_listed(names)}, which the "
            "question asks about, so the answer may be about something else and is not shown."
        )
    return ""


def names_publisher(question: str, short: str, articles: Sequence[CitedArticle]) -> bool:
    """Whether ``short`` is only the name of the outlet that published every cited article ("CNN"),
    and the question does not name it."""
    outlets = {a.outlet.lower() for a in articles}
    if len(outlets) != 1 or not next(iter(outlets)):
        return False
    outlet = lexical.content_words(next(iter(outlets)))
    said = lexical.content_words(short)
    return bool(said) and said <= outlet and not outlet <= lexical.content_words(question)


def echoes(question: str, short: str) -> bool:
    """Whether the short answer's words are all the question's own ("Vladimir Potanin" for
    "Which metals giant is headed by Vladimir Potanin?"); not for a question that offers a
    choice ("Did X or Y ...?"), whose answer is one of its words."""
    words = lexical.content_words(short)
    if not words or re.search(r"\bor\b", question, re.IGNORECASE):
        return False
    return words <= lexical.content_words(question)


#: The countries English-language news most often leaves unsaid: "gas prices", "the box office"
#: and "the Fed" in a US paper are American without the word.
_HOME_COUNTRIES = ("us", "uk")
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"'\u201d\u2019)]?\s+)([A-Z][\w\u2019'-]*)")


#: Words the question's own description of the answer's language goes with ("What Latin phrase
#: ...?", "the Yiddish word for ..."): the article quotes the phrase without naming its language.
_KIND_OF_WORDS = r"(?:phrase|word|term|expression|motto|saying|idiom|greeting)s?\b"


def _implicit(name: str, question: str, found: set[str]) -> bool:
    """Whether the question's ``name`` may go unsaid in an article (with the stemmed words
    ``found``) that answers it: the country the news is written in ("US gas prices"), a capital
    that stands for its country when the article names the country ("urged Moscow" in an article
    on Russia), a language the question says the answer is in ("What Latin phrase ...?"), or a
    word capitalised only because it opens one of the question's sentences ("Corporate America
    is canceling Kanye West. Among the companies ...")."""
    seat = countries.seat_of(name)
    country = lexical.stem(seat.split()[-1]) if seat else lexical.stem(name)
    if any(countries.same_country(country, home) for home in _HOME_COUNTRIES):
        return True
    if seat and lexical.mentioned(seat.split()[-1], found, {}):
        return True
    if re.search(rf"\b{re.escape(name)}\s+{_KIND_OF_WORDS}", question):
        return True
    opening = sum(m.group(1) == name for m in _SENTENCE_START.finditer(question))
    return opening > 0 and len(re.findall(rf"\b{re.escape(name)}\b", question)) == opening


def missing_figures(question: str, text: str) -> list[str]:
    """The question's statistics (percentages, sums of money, decimals) that ``text`` does not
    give, as the question writes them; "7" and "7.0" are one figure."""
    given = {_value(m.group(0)) for m in _NUMBER.finditer(text)}
    missing: dict[float | None, str] = {}
    for match in _NUMBER.finditer(question):
        figure, after = match.group(0), question[match.end() : match.end() + 1]
        if after.isalpha():
            continue  # part of a word: "5th", "3D" ("Covid-19" and "G20" are not matched at all)
        if (_statistic(question, match) or "." in figure) and _value(figure) not in given:
            before = (
                question[match.start() - 1] if match.start() and question[match.start() - 1] in "$\u00a3\u20ac" else ""
            )
            missing.setdefault(_value(figure), before + figure + ("%" if after == "%" else ""))
    return list(missing.values())


def _statistic(text: str, match: re.Match[str]) -> bool:
    return bool(_STATISTIC.match(text[max(0, match.start() - 1) : match.end() + 9].lstrip()))


def _value(figure: str) -> float | None:
    try:
        return float(figure.replace(",", "").rstrip("."))
    except ValueError:
        return None


def _listed(items: list[str]) -> str:
    quoted = [f"\u201c{x}\u201d" for x in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
