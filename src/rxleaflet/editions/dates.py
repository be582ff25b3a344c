"""The date every edition carries (the PDF's, the EPUB's): SOURCE_DATE_EPOCH if set, else the leaflet's revision."""
from __future__ import annotations

import datetime
import os

from ..errors import UserError


def document_date(revised: datetime.date) -> datetime.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else the leaflet's revision date (UTC, no zone)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.datetime(revised.year, revised.month, revised.day)
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise UserError.single("SOURCE_DATE_EPOCH", 0, 0, "", f"'{epoch}' is not a time rxleaflet can use: "
                               "give whole seconds since 1970 (or unset it)") from None
