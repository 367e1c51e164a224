"""iCalendar (RFC 5545) feeds: every talk at /speaking/talks.ics, one talk at <slug>.ics."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from icalendar import Calendar, Event, vGeo

from publishing.site_url import site_scheme_and_host
from publishing.text import strip_control_characters
from talks.models import Talk


def talk_event(talk: Talk) -> Event:
    """The talk as an event. Its date must be in the site's range (`is_dated_in_range`):
    an hour or a day added to a moment near the year 9999 overflows."""
    event = Event()
    # Real sites reuse uuids by copy-paste: the slug keeps each UID unique and stable.
    event.add("uid", f"{talk.uuid}-{talk.slug}@{site_scheme_and_host()[1]}")
    summary = f"{talk.title} ({talk.event_name})" if talk.event_name else talk.title
    # RFC 5545 text cannot hold control characters either (see publishing.text).
    event.add("summary", strip_control_characters(summary))
    start = timezone.localtime(talk.date)
    if start.time() == datetime.time(0, 0):
        # A midnight time means the source only knew the day: an all-day event.
        event.add("dtstart", start.date())
        event.add("dtend", start.date() + datetime.timedelta(days=1))
    else:
        event.add("dtstart", talk.date)
        event.add("dtend", talk.date + datetime.timedelta(hours=1))
    event.add("dtstamp", talk.updated_at or talk.date)
    location = ", ".join(part for part in (talk.event_location, talk.event_city) if part)
    if location:
        event.add("location", strip_control_characters(location))
    if talk.latitude is not None and talk.longitude is not None:
        event.add("geo", vGeo((talk.latitude, talk.longitude)))
    event.add("url", talk.site_url)
    description = [talk.event_days, talk.summary, talk.site_url]
    event.add(
        "description", strip_control_characters("\n\n".join(part for part in description if part))
    )
    return event


def calendar_response(talks, name: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//talks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.SITE_NAME}: talks")
    for talk in talks:
        # published() leaves out talks dated outside the range; a calendar of any other
        # list of talks leaves them out too, rather than fail for everyone.
        if talk.is_dated_in_range:
            calendar.add_component(talk_event(talk))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


def talks_calendar(request):
    return calendar_response(Talk.objects.published().order_by("date"), "talks")


def talk_calendar(request, slug):
    talk = get_object_or_404(Talk.objects.published(), slug__ci=slug)
    return calendar_response([talk], talk.slug)
