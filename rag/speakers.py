"""Who a sentence says said something: "Qureshi further said", "according to the CPSC", "PM Khan
told Sputnik" (Sputnik only listened), "Musk on Tuesday said", "..., said Farley in a statement",
"The leader of the Labour Party, Keir Starmer, said" (the party and Starmer), "Kwarteng's
announcement".
:func:`rag.claims_compare.compare` compares the speakers of a claim with those of the sentence
that states it; a different speaker is a mismatch.
"""

from __future__ import annotations

import re

from rag import lexical

_SAY = (
    r"(?:said|says|told|tells|announced|announces|stressed|noted|added|wrote|argued|urged|insisted|"
    r"acknowledged|conveyed|indicated|stated|declared|claimed|replied|explained|shared|cited|blamed|praised|"
    r"described)"
)
_NAME = r"(?P<name>(?:[A-Z][\w\u2019'.-]*\s+){0,3}[A-Z][\w\u2019'-]*)"
#: When someone said it, between the name and the verb: "Musk on Tuesday said".
_WHEN = (
    r"(?:\s+(?:on\s+|last\s+|this\s+|early\s+|late\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"(?:\s+(?:morning|afternoon|evening|night))?)?"
)
#: After a name: "Abalos Jr.", "Seismology (Phivolcs)" (the acronym is a name of the speaker too).
_SUFFIX = r"(?:,?\s+(?:Jr|Sr)\.?)?(?:\s+\((?P<acronym>[A-Z][\w-]*)\))?"
_SPEAKER_BEFORE = re.compile(
    _NAME
    + _SUFFIX
    + r"(?:\s+of\s+(?:the\s+)?(?P<org>[A-Z][\w\u2019'-]*(?:\s+(?:(?:of|for|and|the)\s+){0,2}[A-Z][\w\u2019'-]*){0,5}))?"
    # "Ann Lee of the WHO", "Michael Gapen of Bank of America Global Research"
    + r"(?:['\u2019]s\s+(?:office|spokes\w+|statement))?"
    + _WHEN
    + r"\s*(?:,(?P<apposition>[^,]{0,60}),\s*)?(?:\s+(?:also|further|then|later|has|had|have))*\s+"
    + _SAY
    + r"\b"
)
_SPEAKER_AFTER = re.compile(
    r"\b(?:according to|said|says|wrote|added|noted|stressed)\s+(?:the\s+)?"
    r"(?:[A-Z][\w\u2019'-]*['\u2019]s\s+(?:[a-z]+\s+){1,2}(?=[A-Z]))?"  # "said Cosby's spokesperson Andrew Wyatt"
    + _NAME
)
#: Someone who speaks for a body, after it: "according to the Met Office's CEO, Penelope Endersby",
#: "said the CDC's director Rochelle Walensky". Both the body and the person count as the speaker; a
#: person's spokesperson speaks only for themselves ("said Cosby's spokesperson Andrew Wyatt").
_SPEAKER_FOR = re.compile(
    r"\b(?:according to|said|says)\s+(?:the\s+)?(?P<body>(?:[A-Z][\w\u2019'-]*\s+){0,3}[A-Z][\w-]*)['\u2019]s\s+"
    r"(?:[A-Za-z-]+\s+){0,2}[A-Za-z-]+,?\s+" + _NAME
)
#: "according to Puerto Rico Aqueduct and Sewer Authority Executive President Doriel Pagán Crespo": the
#: last name of a long title.
_SPEAKER_TITLED = re.compile(
    r"\baccording to\s+(?:the\s+)?(?P<name>[A-Z][\w\u2019'.-]*(?:\s+(?:(?:and|of|for)\s+)?[A-Z][\w\u2019'.-]*){4,})"
)
#: A statement given as someone's: "Kwasi Kwarteng's announcement on Friday that ...".
_SPEAKER_OWNS = re.compile(
    _NAME + r"['\u2019]s\s+(?:\w+\s+)?(?:announcement|statement|remarks|comments|speech|warning|pledge|promise|"
    r"claim|assertion|admission|testimony|tweet|letter|interview)\b"
)
#: After "said", a name names the speaker only where its clause ends or goes on about the saying
#: ("..., said Farley in a statement"); "said Twitter Blue would cost" starts what was said.
_SAID_BY = re.compile(
    r"\s*(?:$|[,.;:!?)\"\u201d\u2019]|\s(?:in|on|at|during|last|this|earlier|later|after|before|told)\b)"
)
_TITLES = frozenset(
    """president prime minister pm foreign secretary deputy general special ambassador mr mrs ms dr
    russian pakistani us chief ceo spokesman spokesperson commissioner manager the vice""".split()
)


#: What follows a body's or a person's name without naming anything: "Racing Louisville FC", "Tesla Inc".
_BODY_SUFFIXES = frozenset("fc inc corp co ltd llc plc jr sr".split())


def speakers(text: str) -> set[str]:
    """Surnames of the people or bodies a sentence says said something ("Qureshi further said",
    "according to the CPSC", "PM Khan told Sputnik")."""
    found: set[str] = set()
    for pattern in (_SPEAKER_BEFORE, _SPEAKER_AFTER, _SPEAKER_FOR, _SPEAKER_OWNS, _SPEAKER_TITLED):
        for match in pattern.finditer(text):
            after_said = pattern in (_SPEAKER_AFTER, _SPEAKER_FOR) and not match.group(0).lower().startswith("accord")
            if after_said and not _SAID_BY.match(text, match.end()):
                continue
            words = [
                w.strip(".'\u2019").removesuffix("\u2019s").removesuffix("'s") for w in match.group("name").split()
            ]
            while len(words) > 1 and words[-1].lower().rstrip(".") in _BODY_SUFFIXES:
                words = words[:-1]  # "Racing Louisville FC said": Louisville
            words = [
                w
                for w in words
                if w
                and w.lower() not in _TITLES
                and (w.lower() not in lexical.STOPWORDS or (w.isupper() and len(w) >= 2))  # "the WHO said"
                and not lexical.calendar(w)
            ]
            apposition = (match.groupdict().get("apposition") or "").split()
            if apposition and all(w[0].isupper() for w in apposition) and apposition[-1].lower() not in _TITLES:
                found.add(apposition[-1].strip(".").lower())  # "the Labour Party, Keir Starmer, said": Starmer
            if match.groupdict().get("org"):
                found.add(match.group("org").split()[-1].lower())
            if match.groupdict().get("acronym"):
                found.add(match.group("acronym").lower())
            body = (match.groupdict().get("body") or "").split()
            if len(body) >= 2 or (body and body[0].isupper()):  # a body, not a person: "Cosby's spokesperson"
                found.add(body[-1].lower())
            if words:
                found.add(words[-1].lower())
                if len(words) >= 3:  # "Consumer Product Safety Commission" is also "the CPSC"
                    found.add("".join(w[0] for w in words).lower())
    return found


_QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]{12,})[\"\u201d]")


def quoted_by(claim: str, evidence: str) -> frozenset[str]:
    """Whom a claim that puts quoted words in someone's mouth makes their speaker, when the
    evidence holds those words: the last name of its subject ("Nicola Sturgeon accused Johnson of
    \u201clies, scandal and fraud\u201d" -> sturgeon); none otherwise (who said it is then read
    from the claim's verbs, :func:`speakers`)."""
    quote = _QUOTED.search(claim)
    if quote is None or quote.group(1).lower().strip(" .,") not in evidence.lower():
        return frozenset()
    words = [w.strip(".,") for w in lexical.subject(claim).split()]
    names = [w for w in words if w[:1].isupper() and w.lower() not in _TITLES and w.lower() not in lexical.STOPWORDS]
    return frozenset({names[-1].lower()}) if names else frozenset()


def same(
    ours: frozenset[str], theirs: frozenset[str], claim: str, evidence: str, aliases: dict[str, str] | None
) -> bool:
    """Whether the claim's speakers ``ours`` and the source's ``theirs`` name one speaker: a
    shared surname, an acronym an article defines ("CPSC" = "Consumer Product Safety Commission")
    or one ``evidence`` spells out (:func:`spelled_out`)."""
    return bool(ours & theirs) or _by_alias(ours, theirs, aliases) or any(spelled_out(x, claim, evidence) for x in ours)


_CAPITALISED_RUN = re.compile(r"[A-Z][\w\u2019'.-]*(?:\s+(?:(?:for|of|and|the|on)\s+)*[A-Z][\w\u2019'.-]*)+")


def spelled_out(speaker: str, claim: str, evidence: str) -> bool:
    """Whether ``speaker``, an acronym in ``claim`` ("UN", "CDC"), is spelled out in ``evidence``
    though no article defines it: its letters start words of one capitalised name in a row ("the
    US Centers for Disease Control and Prevention", "the United Nations High Commissioner")."""
    if not 2 <= len(speaker) <= 6 or not re.search(rf"\b{re.escape(speaker.upper())}\b", claim):
        return False
    for run in _CAPITALISED_RUN.finditer(evidence):
        initials = "".join(w[0] for w in run.group(0).split() if w[0].isupper()).lower()
        if speaker in initials:
            return True
    return False


def abbreviated(name: str, claim: str, evidence: str) -> bool:
    """Whether ``name``, a word of a capitalised name in ``claim`` ("States" of "the United
    States"), stands in ``evidence`` as that name's acronym ("the US", "the U.S."): the reverse of
    :func:`spelled_out`."""
    acronyms = {w.replace(".", "") for w in re.findall(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,6}\b", evidence)}
    for run in _CAPITALISED_RUN.finditer(claim):
        words = [w.rstrip(".") for w in run.group(0).split()]  # "the United States." ends a sentence
        while words and words[0] in ("The", "A", "An"):
            words = words[1:]
        if name in words and "".join(w[0] for w in words if w[0].isupper()) in acronyms:
            return True
    return False


def _by_alias(ours: frozenset[str], theirs: frozenset[str], aliases: dict[str, str] | None) -> bool:
    for acronym, long_form in (aliases or {}).items():
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", long_form)}
        short = acronym.lower()
        if (short in ours and theirs & words) or (short in theirs and ours & words):
            return True
    return False
