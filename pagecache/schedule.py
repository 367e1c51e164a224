"""When the pages change by themselves: a scheduled post appears at its date, an upcoming
talk becomes a past one at its own. No cached page may outlive the next such moment."""

from __future__ import annotations

import datetime

from django.db.models import Min

from publishing.kinds import publishable_kinds
from publishing.models import Status

# (site version, when computed, next moment): recomputed once the site changes or the
# moment has come.
_known: tuple[int, datetime.datetime, datetime.datetime | None] | None = None


def next_change(version: int, now: datetime.datetime) -> datetime.datetime | None:
    """The first moment after `now` at which a published post or talk reaches its date;
    None when none is dated in the future."""
    global _known
    known = _known
    if known is not None:
        known_version, computed_at, moment = known
        if known_version == version and computed_at <= now and (moment is None or now < moment):
            return moment
    moments = [
        model.objects.filter(status=Status.PUBLISHED, date__gt=now)
        .dated_in_range()
        .aggregate(first=Min("date"))["first"]
        for model in (kind.model for kind in publishable_kinds())
    ]
    moment = min((m for m in moments if m is not None), default=None)
    _known = (version, now, moment)
    return moment
