"""Text from documents made safe to print on a terminal: escape sequences (CSI, OSC, ...), other
control characters, NUL bytes and bidirectional overrides are removed; newlines and tabs stay.
A document can otherwise clear the screen, retitle the window or hide text (``that\\x1b[2J talks``)."""

from __future__ import annotations

import re

_ESCAPE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (window titles, hyperlinks)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI (cursor moves, clear screen, colours)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|\x1b[ -/]*[0-~]?"  # other ESC sequences
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` without anything a terminal would act on (only ``\\n`` and ``\\t`` are kept)."""
    return _CONTROL.sub("", _ESCAPE.sub("", text.replace("\r\n", "\n")))
