"""The answer inside an answer sentence: what a long sentence says beyond its question.

Asked "What price per share did Elon Musk offer for Twitter?", the local model sometimes writes
a whole sentence, "Musk offered $54.20 per share for Twitter in his $44 billion takeover deal.",
where a few words were wanted. Checked as a statement, the sentence fails on what it repeats
from the question (no quote mentions the $44 billion beside the $54.20), and the answer becomes
"not in the corpus" although a quote states it. :func:`novel` reads the sentence's one run of
words the question did not give ("$54.20"; "skull fracture and serious injuries to his right arm
and hands"), which rag.answer then validates as it validates a short answer: an evidence
sentence the model was shown must contain it (not any other sentence of the retrieved passages:
a figure the model made up, "79%", is too easily found somewhere in them). Nothing is read when
the new words are scattered (two runs) or when they are a bare number the question did not ask
for ("14" in "raised its prices on January 14").
"""

from __future__ import annotations

import re

from rag import answer_kind, claim_facts, lexical
from rag.containment import SHORT_WORDS, asked_words
from rag.types import Evidence

MAX_WORDS = 12  # a longer run is no answer but a second sentence
_TOKEN = re.compile(r"\S+")
_EDGES = "\"'\u201c\u201d\u2018\u2019()[],;:.!?"


def novel(sentence: str, question: str, aliases: dict[str, str] | None = None) -> str:
    """The run of ``sentence`` from its first to its last word that ``question`` does not give
    (acronyms' long forms count as given), allowing one given word between two new ones; "" when
    the sentence is short already, says nothing new, says it in two places, is a bare number the
    question does not ask for, or would be as long as the sentence."""
    tokens = list(_TOKEN.finditer(sentence))
    if len(tokens) <= SHORT_WORDS or not question:
        return ""
    asked = asked_words(question, aliases)
    kinds = []
    for token in tokens:
        words = lexical.content_words(token.group(0)) | lexical.numbers(token.group(0))
        kinds.append("" if not words else "given" if all(_given(w, asked) for w in words) else "new")
    new = [i for i, kind in enumerate(kinds) if kind == "new"]
    if not new:
        return ""
    runs = [[new[0]]]
    for i in new[1:]:
        between = kinds[runs[-1][-1] + 1 : i].count("given")
        if between <= 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    if len(runs) > 1:
        return ""
    first, last = runs[0][0], runs[0][-1]
    if last - first + 1 > MAX_WORDS or last - first + 1 >= len(tokens) - 1:
        return ""
    span = sentence[tokens[first].start() : tokens[last].end()].strip(_EDGES)
    if not re.search(r"[A-Za-z$%\u00a3\u20ac]", span) and not answer_kind.wanted(question):
        return ""
    return span


def _given(word: str, asked: set[str]) -> bool:
    """``word`` is one of ``asked`` or another form of it ("raised" / "raise", "prices" / "price":
    the light stemmer leaves a base form's final "e")."""
    if word in asked:
        return True
    return len(word) >= 4 and any(a.startswith(word) or word.startswith(a) for a in asked if len(a) >= 4)


def publication_date(answer: str, shown: list[Evidence]) -> str:
    """The publication date of a shown article that ``answer`` gives ("May 5, 2022", "2022-05-10"),
    or "". Asked "From what date ...?", the local model sometimes copies the date of an evidence
    header instead of the date a sentence states; rag.answer then asks again without the dates."""
    published = sorted({e.passage.article.published_at[:10] for e in shown if e.passage.article.published_at})
    days = claim_facts.facts(answer).days
    for day in published:
        if day in answer or days & claim_facts.dateline(day).days:
            return day
    return ""
