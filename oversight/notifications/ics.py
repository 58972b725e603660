"""A session as a calendar invitation (issue 11 item 3): METHOD:REQUEST when planned or
moved, METHOD:CANCEL when cancelled, with ORGANIZER (the supervisor), ATTENDEEs, a UID that
stays the same when the session moves (the first session of the chain) and a SEQUENCE that
grows with each move, so a calendar client updates the event it already has. Only what a
calendar needs: no child, no agenda, nothing from the record."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from oversight.supervision.calendar import PRODID
from oversight.supervision.models import Session


def _chain(session: Session) -> tuple[Session, int]:
    """The first session of the reschedule chain, and how many moves came after it."""
    first, moves = session, 0
    while first.rescheduled_from_id is not None:
        first = Session.objects.select_related("rescheduled_from").get(pk=first.pk)
        assert first.rescheduled_from is not None
        first, moves = first.rescheduled_from, moves + 1
    return first, moves


def _address(person: object, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")  # type: ignore[attr-defined]
    address.params["cn"] = vText(person.display_name)  # type: ignore[attr-defined]
    address.params["role"] = vText(role)
    return address


def session_invitation(session: Session, *, cancel: bool = False) -> dict[str, str]:
    """The .ics attachment for the session's email."""
    first, moves = _chain(session)
    host = urlsplit(settings.SITE_URL).hostname or "oversight.invalid"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", f"session-{first.pk}@{host}")
    event.add("sequence", moves + (1 if cancel else 0))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.planned_start)
    event.add("dtend", session.planned_end)
    event.add("summary", f"Supervision – {session.get_session_type_display()}")
    if session.location:
        event.add("location", session.location)
    event.add(
        "description",
        f"{settings.SITE_URL}{reverse('supervision:session_detail', args=[session.pk])}",
    )
    event.add("organizer", _address(session.supervisor, "CHAIR"))
    people = [session.supervisee] if session.supervisee is not None else []
    people += [a.person for a in session.attendances.select_related("person")]
    for person in people:
        event.add("attendee", _address(person, "REQ-PARTICIPANT"))
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    calendar.add_component(event)
    method = "CANCEL" if cancel else "REQUEST"
    return {
        "filename": "cancel.ics" if cancel else "invite.ics",
        "content": calendar.to_ical().decode(),
        "mimetype": f"text/calendar; method={method}",
    }
