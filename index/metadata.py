"""Metadata that a news article's own text states: title, date, outlet, byline, dateline.

Only what the text says is extracted; anything not found stays empty. Examples from the seeds:
``date 2021-08-25 MOSCOW, August 25. /TASS/.``, ``MOSCOW/KARACHI, Pakistan (AA) -``,
``By Aamir Latif and Dmitri Chirciu``, a header line ``March 15, 2018``.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

from index.types import DocMetadata

#: News agencies and outlets recognised in a dateline, by the code printed there.
AGENCIES: dict[str, str] = {
    "TASS": "TASS",
    "AA": "Anadolu Agency (AA)",
    "AP": "Associated Press (AP)",
    "AFP": "AFP",
    "REUTERS": "Reuters",
    "XINHUA": "Xinhua",
    "APP": "Associated Press of Pakistan (APP)",
    "PTI": "Press Trust of India (PTI)",
    "IANS": "IANS",
    "ANI": "ANI",
    "UNI": "UNI",
    "SPUTNIK": "Sputnik",
    "RIA NOVOSTI": "RIA Novosti",
    "INTERFAX": "Interfax",
    "EFE": "EFE",
    "DPA": "dpa",
    "KYODO": "Kyodo",
    "YONHAP": "Yonhap",
    "IRNA": "IRNA",
    "WAM": "WAM",
    "BERNAMA": "Bernama",
    "ANTARA": "Antara",
}

#: Web hosts whose outlet name is well known; others show the bare host.
HOSTS: dict[str, str] = {
    "cnn.com": "CNN",
    "edition.cnn.com": "CNN",
    "usatoday.com": "USA Today",
    "theweek.com": "The Week",
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press (AP)",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "tass.com": "TASS",
    "aa.com.tr": "Anadolu Agency (AA)",
    "dawn.com": "Dawn",
    "tribune.com.pk": "The Express Tribune",
}

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)"
_DATE_LINE_PATTERNS = [
    re.compile(rf"^(?P<weekday>{_WEEKDAY})?{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(rf"^(?P<weekday>{_WEEKDAY})?(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(r"^(?P<weekday>)(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})$"),
]
_ISO_DATE_TAG = re.compile(r"\bdate[:\s]+(\d{4})-(\d{2})-(\d{2})\b", re.I)
_PLACE = r"[A-Z][A-Z.'\-]+(?:[ /][A-Z][A-Z.'\-]+)*(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)*)?"
_AGENCY_CODES = "|".join(sorted((re.escape(code) for code in AGENCIES), key=len, reverse=True))
_DATELINE_SLASH = re.compile(  # MOSCOW, August 25. /TASS/.
    rf"(?P<place>{_PLACE}),\s+{_MONTH}\s+\d{{1,2}}\.?\s*/(?P<agency>{_AGENCY_CODES})/", re.I
)
_DATELINE_PAREN = re.compile(  # MOSCOW/KARACHI, Pakistan (AA) -   |   LONDON, June 1 (Reuters) -
    rf"^(?P<place>{_PLACE})(?:,\s+{_MONTH}\s+\d{{1,2}})?\s*\((?P<agency>{_AGENCY_CODES})\)\s*[-\u2013\u2014:]",
    re.I | re.M,
)
_DATELINE_COLON = re.compile(r"^(?P<place>[A-Z]{3,}(?:[ /][A-Z]{3,})*):\s+\S", re.M)  # ISLAMABAD: ...
_BYLINE = re.compile(r"^\s*By\s+(?P<names>[A-Z][^\n]{2,120})$", re.M)
_NAME = re.compile(r"^[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3}$")
HEADER_LINES = 8


def parse_date_line(line: str) -> tuple[str, bool] | None:
    """``"March 15, 2018"`` -> ``("2018-03-15", False)``; the flag says a weekday was given."""
    stripped = line.strip().strip(".")
    for pattern in _DATE_LINE_PATTERNS:
        match = pattern.match(stripped)
        if not match:
            continue
        month_text = match.group("month").lower().rstrip(".")
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text, 0)
        iso = _iso(int(match.group("year")), month, int(match.group("day")))
        if iso:
            return iso, bool(match.group("weekday"))
    return None


def normalise_date(value: str | None) -> str:
    """``"2022/06/12"``, ``"2022-06-12T10:00:00Z"`` or ``"June 12, 2022"`` -> ``"2022-06-12"``."""
    if not value:
        return ""
    value = value.strip()
    match = re.match(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})", value)
    if match:
        return _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    parsed = parse_date_line(value)
    return parsed[0] if parsed else ""


def outlet_from_url(url: str | None) -> str:
    if not url:
        return ""
    host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower()
    host = host.removeprefix("www.")
    return HOSTS.get(host, host)


def extract(text: str) -> DocMetadata:
    """Read title, date, outlet, authors and dateline from an article's leading lines."""
    lines = [line.strip() for line in text.splitlines()]
    header = _header_lines(lines)
    head_text = text[:1500]

    published = ""
    tag = _ISO_DATE_TAG.search(head_text)
    if tag:
        published = _iso(int(tag.group(1)), int(tag.group(2)), int(tag.group(3)))
    if not published:
        published = _date_from_header(header)

    outlet, dateline = "", ""
    for pattern in (_DATELINE_SLASH, _DATELINE_PAREN):
        match = pattern.search(head_text)
        if match:
            outlet = AGENCIES[match.group("agency").upper()]
            dateline = match.group("place").strip()
            break
    if not dateline:
        match = _DATELINE_COLON.search(head_text)
        if match:
            dateline = match.group("place")

    return DocMetadata(
        title=_title(header, lines),
        published_at=published,
        outlet=outlet,
        authors=_authors(head_text),
        dateline=dateline,
    )


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _header_lines(lines: list[str]) -> list[str]:
    """The non-empty lines before the body: at most ``HEADER_LINES``, none longer than 200."""
    header: list[str] = []
    for line in lines:
        if not line:
            continue
        if len(line) > 200 or len(header) >= HEADER_LINES:
            break
        header.append(line)
    return header


def _date_from_header(header: list[str]) -> str:
    """A header line that is only a date; one without a weekday (a page's 'today') wins."""
    found = [parsed for parsed in map(parse_date_line, header) if parsed]
    plain = [iso for iso, has_weekday in found if not has_weekday]
    if plain:
        return plain[-1]
    return found[-1][0] if found else ""


def _title(header: list[str], lines: list[str]) -> str:
    """A short header line standing alone (blank line or a new sentence after it)."""
    for line in header:
        words = line.split()
        if parse_date_line(line) or _BYLINE.match(line) or line.isupper():
            continue
        if _DATELINE_COLON.match(line) or _DATELINE_PAREN.match(line) or line.lower().startswith("date "):
            return ""
        position = lines.index(line)
        following = next((other for other in lines[position + 1 :] if other), "")
        blank_after = position + 1 < len(lines) and not lines[position + 1]
        continues = bool(following) and following[0].islower()
        if 3 <= len(words) <= 30 and line[-1] not in ".,;:" and (blank_after or not continues):
            return line.lstrip("# ").strip()
        return ""
    return ""


def _authors(head_text: str) -> tuple[str, ...]:
    match = _BYLINE.search(head_text)
    if not match:
        return ()
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", match.group("names").strip())
    cleaned = tuple(name.strip() for name in names if name.strip())
    return cleaned if cleaned and all(_NAME.match(name) for name in cleaned) else ()
