"""iCalendar (RFC 5545) feeds of published talks.

- /speaking/talks.ics: upcoming talks and those of the last year (CALENDAR_WINDOW), what a
  subscribed calendar app needs, at a size that does not grow with the archive;
- /speaking/talks-all.ics: every talk, for keeping or importing the whole archive;
- /speaking/<slug>.ics: one talk.
"""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import Truncator
from icalendar import Calendar, Event, vGeo

from publishing.site_url import site_scheme_and_host
from publishing.text import strip_control_characters
from talks.models import Talk

# Characters of the talk's summary in an event's description.
DESCRIPTION_LENGTH = 300
# How far back talks.ics goes; older talks are in talks-all.ics.
CALENDAR_WINDOW = datetime.timedelta(days=365)
# What an event shows: never the bodies or their HTML.
EVENT_FIELDS = (
    "uuid",
    "slug",
    "title",
    "date",
    "updated_at",
    "event_name",
    "event_days",
    "event_location",
    "event_city",
    "latitude",
    "longitude",
    "meta_description",
    "excerpt_html",
)


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
    url = talk.site_url
    event.add("url", url)
    # The summary as a meta description is: the event links to the whole talk. Each
    # character of a long text costs the calendar library a step in folding its lines.
    summary = Truncator(talk.summary).chars(DESCRIPTION_LENGTH)
    description = [talk.when if talk.event_days else "", summary, url]
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


def calendar_talks():
    return Talk.objects.published().only(*EVENT_FIELDS).order_by("date", "pk")


def talks_calendar(request):
    """Upcoming talks and the talks of the last CALENDAR_WINDOW."""
    since = timezone.now() - CALENDAR_WINDOW
    return calendar_response(calendar_talks().filter(date__gte=since), "talks")


def all_talks_calendar(request):
    return calendar_response(calendar_talks(), "talks-all")


def talk_calendar(request, slug):
    talk = get_object_or_404(Talk.objects.published(), slug__ci=slug)
    return calendar_response([talk], talk.slug)
