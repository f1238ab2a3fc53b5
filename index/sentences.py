"""Sentence spans with exact character offsets, by rules (no NLTK data to download).

Used to chunk articles on sentence boundaries, to pick the sentences a prompt needs, to quote
the exact supporting sentence and to split answers and claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr adm gov sen rep pres rev hon
    no nos vs etc inc ltd co corp dept univ est approx fig al jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue wed thu fri sat sun u.s u.k u.n e.g i.e a.m p.m""".split()
)
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_NEXT = re.compile(r"\s*(\S)")
SHORT_LINE = 60  # a line this short followed by a capitalised line is a heading, not wrapped prose
_INITIALS = re.compile(r"[a-z](?:\.[a-z])*")  # before its last dot: "f", "j.d", "o.b"
_TERMINAL = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def split(text: str, offset: int = 0) -> list[Span]:
    """Split ``text`` into sentence spans; ``text[s.start - offset:s.end - offset] == s.text``."""
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        spans.extend(_split_block(text, block_start, block_end, offset))
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs, and lines that stand alone (ending a sentence, all caps, a byline)."""
    cuts = [0]
    for match in _PARAGRAPH.finditer(text):
        cuts.extend([match.start(), match.end()])
    position = 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        stripped = line.strip()
        position += len(line)
        following = lines[number + 1].lstrip() if number + 1 < len(lines) else ""
        previous = lines[number - 1].strip() if number else ""
        starts_fresh = not previous or bool(_TERMINAL.search(previous))
        heading = len(stripped) <= SHORT_LINE and starts_fresh and following[:1].isupper()
        if stripped and (_TERMINAL.search(stripped) or stripped.isupper() or stripped.startswith("By ") or heading):
            cuts.append(position)
    cuts.append(len(text))
    cuts = sorted(set(cuts))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def _split_block(text: str, start: int, end: int, offset: int) -> list[Span]:
    spans: list[Span] = []
    sentence_start = start
    block = text[start:end]
    for match in _END.finditer(block):
        cut = start + match.end()
        if _is_abbreviation(text, start + match.start(), sentence_start):
            continue
        nxt = _NEXT.match(text, cut, end)  # the next visible character (not a copy of the rest: linear time)
        following = nxt.group(1) if nxt else ""
        if following and not (following.isupper() or following.isdigit() or following in "\"'\u201c\u2018(["):
            continue
        spans.extend(_trimmed(text, sentence_start, cut, offset))
        sentence_start = cut
    spans.extend(_trimmed(text, sentence_start, end, offset))
    return spans


def _is_abbreviation(text: str, dot: int, sentence_start: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().lstrip("(\"'\u201c")
    if word in ABBREVIATIONS:
        return True
    return _INITIALS.fullmatch(word) is not None  # "John F. Kennedy", "J.D. Vance", "the O.B. Curtis plant"


def _trimmed(text: str, start: int, end: int, offset: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    return [Span(start + offset, end + offset, text[start:end])]
