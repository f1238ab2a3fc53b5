"""Bytes to text without mojibake: a byte-order mark first (UTF-8, UTF-16, UTF-32), then the
declared charset (an HTTP header or an HTML ``<meta charset>``), then UTF-8, then the encoding
charset-normalizer detects. ``None`` when the bytes are not text (random bytes, a binary file)."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_CONTROL = frozenset(chr(c) for c in [*range(0, 9), 11, *range(14, 32), 127])
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", re.I)


def charset_of_header(content_type: str | None) -> str | None:
    """``"text/html; charset=ISO-8859-1"`` -> ``"iso-8859-1"``."""
    match = _HEADER_CHARSET.search(content_type or "")
    return _known(match.group(1)) if match else None


def charset_of_html(raw: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (``<meta charset>`` or http-equiv)."""
    match = _META_CHARSET.search(raw[:4096])
    return _known(match.group(1).decode("ascii", "replace")) if match else None


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def decode(raw: bytes, declared: str | None = None) -> str | None:
    """The text of ``raw``; ``declared`` is the charset the sender named (a header, a meta tag).
    A BOM beats a declaration (as browsers do); a declaration that does not decode is ignored."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return _texty(raw.decode(codec))
            except UnicodeDecodeError:
                return None
    named = _known(declared) if declared else None
    if named and not named.startswith(("utf-16", "utf-32")):
        codec = named
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if codec in ("utf-8", "ascii") or not _looks_utf8(raw):
                return _texty(text)
    if b"\x00" in raw[:8192]:
        return None
    try:
        return _texty(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw[: 2**20]).best()
    if best is None:
        return None
    try:
        return _texty(raw.decode(best.encoding, errors="replace"))
    except LookupError:
        return None


def _looks_utf8(raw: bytes) -> bool:
    """Non-ASCII bytes that are valid UTF-8: a page declared Latin-1 that is really UTF-8 (common)
    would otherwise turn every ``é`` into ``Ã©``."""
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _texty(text: str) -> str | None:
    sample = text[:65536]
    control = sum(1 for ch in sample if ch in _CONTROL or ch == "\ufffd")
    return text if control <= 0.01 * max(1, len(sample)) else None
