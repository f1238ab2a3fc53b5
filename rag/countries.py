"""Names a country goes by in the news: "Britain", "the UK" and "British" mention the same
country, as do "Mexico" and "Mexican". The light stemmer keeps these apart (and
:func:`rag.lexical.related` joins only a name and an adjective that extends it, "Russia" and
"Russian"), so a sentence about "the UK government" left out the "Britain" of a claim, and
"the Dutch government" did not mention "the Netherlands".

General knowledge only: each group is the country's name, its short forms and its adjective.
"""

from __future__ import annotations

import functools

_GROUPS = (
    "britain british uk kingdom brits",
    "america american americans us usa",
    "china chinese",
    "france french",
    "netherlands holland dutch",
    "switzerland swiss",
    "mexico mexican mexicans",
    "canada canadian canadians",
    "iraq iraqi iraqis",
    "iran iranian iranians",
    "turkey turkish türkiye turks",
    "afghanistan afghan afghans",
    "wales welsh",
    "scotland scottish scots",
    "ireland irish",
    "spain spanish",
    "portugal portuguese",
    "denmark danish danes",
    "sweden swedish swedes",
    "norway norwegian norwegians",
    "finland finnish finns",
    "poland polish poles",
    "greece greek greeks",
    "thailand thai",
    "philippines filipino filipinos philippine",
    "lebanon lebanese",
    "peru peruvian",
    "cuba cuban cubans",
    "belgium belgian",
    "argentina argentine argentinian",
    "vietnam vietnamese",
    "taiwan taiwanese",
    "japan japanese",
    "sudan sudanese",
    "congo congolese",
    "nepal nepalese nepali",
    "bangladesh bangladeshi",
    "kuwait kuwaiti",
    "qatar qatari",
    "oman omani",
    "israel israeli israelis",
    "pakistan pakistani pakistanis",
    "yemen yemeni",
    "haiti haitian haitians",
    "ukraine ukrainian ukrainians",
    "chile chilean chileans",
    "singapore singaporean singaporeans",
    "zimbabwe zimbabwean zimbabweans",
    "mozambique mozambican mozambicans",
    "cyprus cypriot cypriots",
    "kazakhstan kazakh kazakhs",
    "uzbekistan uzbek uzbeks",
    "tajikistan tajik tajiks",
    "kyrgyzstan kyrgyz",
    "turkmenistan turkmen",
)


#: Seats of government the news names for their country ("Moscow said", "the Kremlin warned").
_SEATS = {
    "moscow": "russia",
    "kremlin": "russia",
    "beijing": "china",
    "washington": "us",
    "london": "uk",
    "westminster": "uk",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "paris": "france",
    "berlin": "germany",
    "tokyo": "japan",
    "tehran": "iran",
    "pyongyang": "north korea",
    "seoul": "south korea",
    "delhi": "india",
    "islamabad": "pakistan",
    "kabul": "afghanistan",
    "ankara": "turkey",
    "taipei": "taiwan",
    "ottawa": "canada",
    "canberra": "australia",
    "brussels": "eu",
}


def seat_of(name: str) -> str:
    """The country whose government a capital stands for ("moscow" -> "russia"), or ""."""
    return _SEATS.get(name.lower(), "")


@functools.cache
def _table() -> dict[str, int]:
    from rag.lexical import stem  # lexical imports this module; stems are made on first use

    return {stem(word): number for number, group in enumerate(_GROUPS) for word in group.split()}


def same_country(a: str, b: str) -> bool:
    """Whether the stems ``a`` and ``b`` name one country ("britain" and "uk")."""
    first = _table().get(a)
    return first is not None and first == _table().get(b)
