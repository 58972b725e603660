"""Sessions as iCalendar events: one session's .ics and each person's private feed of their
planned sessions (issue 3 item 3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Session, SessionStatus

PRODID = "-//Oversight//Safeguarding supervision//EN"


def session_ics(sessions: Iterable[Session], *, request: Any = None, name: str = "") -> bytes:
    """Only what a calendar needs: no child, no agenda, nothing from the record."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    host = request.get_host() if request is not None else "oversight.invalid"
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.planned_start)
        event.add("dtend", session.planned_end)
        who = session.supervisee.display_name if session.supervisee is not None else session.title
        summary = f"{session.get_session_type_display()}: {session.supervisor.display_name}"
        if who:
            summary += f" and {who}"
        event.add("summary", f"Supervision – {summary}")
        if session.location:
            event.add("location", session.location)
        description = []
        if session.video_link:
            event.add("url", session.video_link)
            description.append(f"Video link: {session.video_link}")
        if request is not None:
            description.append(
                request.build_absolute_uri(reverse("supervision:session_detail", args=[session.pk]))
            )
        if description:
            event.add("description", "\n".join(description))
        event.add(
            "status",
            "CANCELLED" if session.status != SessionStatus.PLANNED else "CONFIRMED",
        )
        calendar.add_component(event)
    return calendar.to_ical()
