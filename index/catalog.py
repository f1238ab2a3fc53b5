"""What an index holds, by kind of source and by outlet (for ``attest info`` and the library)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from index.discovery import DOCX_SUFFIXES, HTML_SUFFIXES, JSONL_SUFFIXES, PDF_SUFFIXES, WARC_SUFFIXES
from index.records import DocRecord

KINDS = (
    (HTML_SUFFIXES, "web page (saved)"),
    (PDF_SUFFIXES, "PDF"),
    (DOCX_SUFFIXES, "DOCX"),
    (WARC_SUFFIXES, "web archive"),
    (JSONL_SUFFIXES, "JSONL"),
    ((".md", ".markdown"), "Markdown"),
    ((".txt",), "text"),
)


def kind(record: DocRecord) -> str:
    """``"feed item"``, ``"web page"`` (fetched), ``"PDF"``, ``"web archive"`` ... of an article."""
    file = record.source.split("#", 1)[0]
    if "://" in file:
        return "feed item" if any("(feed " in o for o in record.meta.origins) else "web page"
    name = file.lower()
    for suffixes, label in KINDS:
        if name.endswith(suffixes):
            return label
    return "other"


def counts(records: Iterable[DocRecord], top_outlets: int = 15) -> dict[str, dict[str, int]]:
    """Articles by kind and by outlet (the ``top_outlets`` largest; "unknown" when none is stated)."""
    records = list(records)
    kinds = Counter(kind(r) for r in records)
    outlets = Counter(r.meta.outlet or "unknown" for r in records)
    return {
        "by_type": dict(kinds.most_common()),
        "by_outlet": dict(outlets.most_common(top_outlets)),
    }
