"""Web addresses: which are safe to keep (http and https only), and one key per story so the
same article reached by different links (tracking parameters, ``www.``, a trailing slash, http
or https, a #fragment) is stored once. Normalisation is courlan's (it knows the tracking
parameters); the key then drops what still differs between copies of one page."""

from __future__ import annotations

from urllib.parse import urlsplit

from courlan import normalize_url

_CONTROL = frozenset(chr(c) for c in [*range(0, 32), 127])


def has_control(text: str) -> bool:
    return any(ch in _CONTROL for ch in text)


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) link, else "" (a ``javascript:`` or ``file:`` URL is never kept)."""
    url = url.strip()
    try:
        parsed = urlsplit(url)
    except ValueError:
        return ""
    return url if parsed.scheme.lower() in ("http", "https") and parsed.netloc and not has_control(url) else ""


def canonical_url(url: str) -> str:
    """The address to show and fetch: lower-case host, no default port, no tracking parameters,
    no fragment (``""`` for anything but an http(s) link)."""
    url = safe_url(url)
    if not url:
        return ""
    try:
        return normalize_url(url, strict=True)
    except (ValueError, AttributeError):
        return url.split("#", 1)[0]


def url_key(url: str) -> str:
    """One key per story: ``https://www.x.com/a/?utm_source=y`` and ``http://x.com/a`` agree."""
    canonical = canonical_url(url)
    if not canonical:
        return ""
    parts = urlsplit(canonical)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("amp.")
    path = parts.path.rstrip("/") or "/"
    return host + path + (f"?{parts.query}" if parts.query else "")


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))
