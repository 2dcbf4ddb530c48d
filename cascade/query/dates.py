"""Dates a user gives (``--as-of 2021``) and dates documents carry, possibly partial."""
from __future__ import annotations

import datetime as dt
import re

from cascade.errors import CascadeError
from cascade.vn.dates import period_end, period_start


def _as_of(value: str | dt.date | None) -> str | None:
    """``as_of`` as an ISO day ("2021" means its last day); CascadeError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise CascadeError(f"as_of must be an ISO date such as 2021-06-30, not {value!r}")
    try:
        dt.date.fromisoformat(period_start(text))            # the month must exist ("2021-13" does not)
        end = period_end(text)
        dt.date.fromisoformat(end)
    except ValueError:
        raise CascadeError(f"as_of must be an ISO date such as 2021-06-30, not {value!r}") from None
    return end


def _on_or_before(date: str | None, as_of: str | None) -> bool:
    """True when a document dated ``date`` surely existed on ``as_of`` (a whole partial period must fit)."""
    if as_of is None:
        return True
    return bool(date) and period_end(date) <= as_of  # type: ignore[arg-type]


def _date_arg(value: str | dt.date | None, what: str, end: bool) -> str | None:
    """A user's date as an ISO day: the period's last day (``end``) or first day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        day = period_end(text) if end else period_start(text)
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            raise ValueError
        dt.date.fromisoformat(day)
    except ValueError:
        raise CascadeError(f"{what} must be an ISO date such as 2021-06-30, not {value!r}") from None
    return day
