"""Filters as every interface takes them: an outlet and ``YYYY-MM-DD`` dates, or a clear error."""

from __future__ import annotations

from datetime import date

from rag.types import Filters
from ui.library import ALL_OUTLETS

FORM_LABELS = {"since": "'Published since'", "until": "'Published until'", "as_of": "'As of'"}


def parse_filters(
    outlet: str | None,
    since: str | None,
    until: str | None,
    as_of: str | None,
    labels: dict[str, str] = FORM_LABELS,
) -> Filters:
    """Filters from form or request fields; a date that is not ``YYYY-MM-DD`` is a ``ValueError``
    that names the field by ``labels``."""

    def day(value: str | None, field: str) -> str | None:
        text = (value or "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise ValueError(f"{labels.get(field, field)} is not a date; use YYYY-MM-DD, e.g. 2021-08-25") from None

    chosen = (outlet or "").strip()
    return Filters(
        outlet=None if chosen in ("", ALL_OUTLETS) else chosen,
        since=day(since, "since"),
        until=day(until, "until"),
        as_of=day(as_of, "as_of"),
    )
