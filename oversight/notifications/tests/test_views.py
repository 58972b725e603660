"""The notifications page, marking done, the header count and the email choices (issue 11
item 2), through the test client: each person sees only their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.notifications import services
from oversight.notifications.models import Delivery, Kind, Notification, Preference

pytestmark = pytest.mark.django_db


def _make(person: Any, reason: str, minutes_ago: int, kind: str = Kind.ACTION_DUE) -> Any:
    return Notification.objects.create(
        recipient=person,
        kind=kind,
        reason=reason,
        link="http://127.0.0.1:8000/",
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_the_list_is_newest_first_and_shows_only_ones_own(cast: Any, client: Any) -> None:
    _make(cast.practitioner, "Older thing", 60)
    _make(cast.practitioner, "Newer thing", 5)
    _make(cast.supervisor, "The supervisor's thing", 1)
    client.force_login(cast.practitioner)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Newer thing") < page.index("Older thing")
    assert "The supervisor's thing" not in page
    assert '2<span class="govuk-visually-hidden"> not done</span>' in page  # header count


def test_marking_done_is_a_plain_form_post_and_only_the_recipient_may(
    cast: Any, client: Any
) -> None:
    mine = _make(cast.practitioner, "Sign your record", 5)
    client.force_login(cast.supervisor)
    assert client.post(reverse("notifications:done", args=[mine.pk])).status_code == 403
    client.force_login(cast.practitioner)
    response = client.post(reverse("notifications:done", args=[mine.pk]), follow=True)
    assert "Marked as done." in response.content.decode()
    assert "Nothing is waiting for you." in response.content.decode()
    mine.refresh_from_db()
    assert mine.done_at is not None
    everything = client.get(reverse("notifications:list") + "?show=all").content.decode()
    assert "Sign your record" in everything and "Done" in everything


def test_the_list_takes_the_same_number_of_queries_for_many_notifications(
    cast: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.practitioner)
    _make(cast.practitioner, "Thing", 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notifications:list")).status_code == 200
    for n in range(40):
        _make(cast.practitioner, f"Thing {n}", n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_choices_change_delivery_but_protected_kinds_cannot_be_turned_off(
    cast: Any, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.practitioner)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Urgent discussion requested" in page  # listed as always straight away
    assert 'name="urgent_request"' not in page
    data = {
        kind: Delivery.IMMEDIATELY
        for kind in Kind.values
        if kind not in {"urgent_request", "urgent_unanswered", "escalation", "disclosure"}
        and kind != Kind.WEEKLY_DIGEST
    }
    data[Kind.ACTION_DUE] = Delivery.DAILY
    data[Kind.SESSION_SOON] = Delivery.OFF
    response = client.post(reverse("notifications:preferences"), data, follow=True)
    assert "Your choices are saved." in response.content.decode()
    assert Preference.objects.get(person=cast.practitioner, kind=Kind.ACTION_DUE).delivery == (
        Delivery.DAILY
    )
    with django_capture_on_commit_callbacks(execute=True):
        for kind in (Kind.ACTION_DUE, Kind.SESSION_SOON, Kind.ESCALATION):
            services.notify(recipients=[cast.practitioner], kind=kind, reason=kind, path="/")
    # Only the protected kind is emailed now; all three are on the page.
    assert [m.subject for m in mailoutbox] == ["Oversight: Escalation addressed to you"]
    assert Notification.objects.filter(recipient=cast.practitioner).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.daily_email_send(person=cast.practitioner, day=timezone.localdate()) == 1
        assert services.daily_email_send(person=cast.practitioner, day=timezone.localdate()) == 0
    assert mailoutbox[-1].subject == "Oversight: 1 thing waiting for you"


def test_a_protected_kind_refused_by_the_service_and_the_database(cast: Any) -> None:
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError):
        services.preferences_update(
            actor=cast.practitioner, choices={Kind.ESCALATION: Delivery.OFF}
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(
            person=cast.practitioner, kind=Kind.DISCLOSURE, delivery=Delivery.OFF
        )
