"""Pages as a user meets them: the register forms, confidentiality of disclosures, what other
agencies see of an escalation, home panels, and fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from oversight.children import services
from oversight.children.models import Child, ConfidentialityDisclosure, LegalStatus
from oversight.children.tests.factories import ChildFactory, discussion
from oversight.core.models import AuditEvent
from oversight.supervision.models import RecordDisclosure

pytestmark = pytest.mark.django_db


def test_add_a_child_and_see_it_listed(cast, client):
    client.force_login(cast.practitioner)
    response = client.post(
        reverse("children:child_add"),
        {
            "agency": cast.agency.pk,
            "case_reference": "CS-77",
            "display_name": "Family R – child C",
            "legal_status": LegalStatus.CHILD_IN_NEED,
            "status_since": "2026-09-01",
            "allocated_practitioner": cast.practitioner.pk,
        },
    )
    child = Child.objects.get(case_reference="CS-77")
    assert response.status_code == 302
    page = client.get(reverse("children:child_list")).content.decode()
    assert "Family R – child C" in page
    detail = client.get(reverse("children:child_detail", args=[child.pk])).content.decode()
    assert "Child in need (s17)" in detail
    assert AuditEvent.objects.filter(
        action="view", object_type="children.child", object_id=str(child.pk)
    ).exists()


def test_the_childs_page_is_titled_with_the_childs_name_only(cast, client):
    """The browser tab and a screen reader's page title read the child's name followed by the
    whole markup of the 'Other agencies involved over time' table."""
    child = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, display_name="Family R – D"
    )
    client.force_login(cast.practitioner)
    page = client.get(reverse("children:child_detail", args=[child.pk])).content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Family R – D – Oversight")
    assert "<" not in title and "agencies involved" not in title
    assert page.count("Other agencies involved over time</h2>") == 1


def test_bad_input_keeps_what_was_typed(cast, client):
    ChildFactory(agency=cast.agency, case_reference="TAKEN")
    client.force_login(cast.practitioner)
    response = client.post(
        reverse("children:child_add"),
        {
            "agency": cast.agency.pk,
            "case_reference": "TAKEN",
            "display_name": "Family Q",
            "legal_status": LegalStatus.CHILD_IN_NEED,
            "status_since": "2026-09-01",
            "allocated_practitioner": cast.practitioner.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "already on the register" in page
    assert 'value="Family Q"' in page


def test_stale_edit_is_refused_and_keeps_typing(cast, client):
    child = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    client.force_login(cast.practitioner)
    url = reverse("children:child_edit", args=[child.pk])
    services.child_update(
        child=child,
        actor=cast.supervisor,
        expected_version=child.version,
        case_reference=child.case_reference,
        display_name="Changed elsewhere",
        date_of_birth=None,
        agencies_involved=[],
    )
    response = client.post(
        url,
        {"case_reference": child.case_reference, "display_name": "My edit", "version": 1},
    )
    page = response.content.decode()
    assert "Someone else changed this record" in page
    assert 'value="My edit"' in page


def test_status_change_through_the_page(cast, client):
    child = ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        legal_status_since=timezone.localdate() - dt.timedelta(days=60),
    )
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("children:child_status", args=[child.pk]),
        {"status": LegalStatus.CHILD_PROTECTION, "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.legal_status == LegalStatus.CHILD_PROTECTION
    assert child.status_history.count() == 2


def test_disclosure_shows_the_lead_what_is_needed_and_nothing_else(
    cast, client, django_capture_on_commit_callbacks
):
    child = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    held = discussion(
        child, timezone.localdate() - dt.timedelta(days=3), supervisor=cast.supervisor
    )
    held.risks = "CONFIDENTIAL-RECORD-DETAIL about the practitioner's own family"
    held.save()
    client.force_login(cast.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("children:disclosure_add"),
            {
                "supervisee": cast.practitioner.pk,
                "category": "unsafe_practice",
                "reason": "Home visits recorded that did not happen",
                "what_is_needed": "Audit the last month's visits",
                "child": child.pk,
            },
        )
    disclosure = ConfidentialityDisclosure.objects.get()
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[cast.agency_lead.email]]
    assert "Home visits" not in mail.outbox[0].body
    RecordDisclosure.objects.create(disclosure=disclosure, record=held.record)

    client.force_login(cast.agency_lead)
    home = client.get(reverse("home")).content.decode()
    assert "Confidentiality disclosures for you" in home
    page = client.get(reverse("children:disclosure_detail", args=[disclosure.pk])).content.decode()
    assert "Audit the last month" in page
    assert "Home visits recorded" in page
    assert "CONFIDENTIAL-RECORD-DETAIL" not in page
    assert "CONFIDENTIAL-RECORD-DETAIL" not in client.get(reverse("home")).content.decode()
    disclosure.refresh_from_db()
    assert disclosure.lead_seen_at is not None

    client.force_login(cast.practitioner)
    assert (
        "A disclosure was made from your supervision"
        in client.get(reverse("home")).content.decode()
    )
    told = client.get(reverse("children:disclosure_detail", args=[disclosure.pk])).content.decode()
    assert "Unsafe practice is placing people at risk" in told
    assert "Audit the last month" not in told
    assert "Home visits recorded" not in told

    assert AuditEvent.objects.filter(action="disclose").count() == 1
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="children.confidentialitydisclosure"
        ).count()
        == 2
    )
    client.force_login(cast.line_manager)
    assert (
        client.get(reverse("children:disclosure_detail", args=[disclosure.pk])).status_code == 403
    )


def test_other_agency_lead_sees_escalation_about_them_but_not_the_child(cast, client):
    child = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, display_name="Family Z"
    )
    escalation = services.escalation_raise(
        actor=cast.practitioner,
        agency=cast.agency,
        subject="agency_response",
        child=child,
        about_agency=cast.other_agency,
        reason="No health assessment shared",
        what_was_tried="Asked at core group",
    )
    client.force_login(cast.other_lead)
    listing = client.get(reverse("children:escalation_list")).content.decode()
    assert f"Escalation {escalation.pk}" in listing
    page = client.get(reverse("children:escalation_detail", args=[escalation.pk])).content.decode()
    assert "No health assessment shared" in page
    assert "Family Z" not in page
    assert "A child known to" in page
    assert client.get(reverse("children:child_detail", args=[child.pk])).status_code == 403


def test_urgent_request_is_at_the_top_of_the_supervisors_home(cast, client):
    client.force_login(cast.practitioner)
    client.post(
        reverse("children:urgent_add"),
        {"supervisor": cast.supervisor.pk, "concern": "Parent threatened staff"},
    )
    client.force_login(cast.supervisor)
    home = client.get(reverse("home")).content.decode()
    assert "Urgent discussion requested" in home
    assert "asked for an urgent discussion" in home
    assert home.index("Urgent discussion requested") < home.index("What needs you today")


@pytest.mark.parametrize("count", [5, 50])
def test_child_list_page_query_count_is_fixed(cast, client, count, django_assert_max_num_queries):
    for i in range(count):
        child = ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            legal_status_since=timezone.localdate() - dt.timedelta(days=50 + i),
        )
        if i % 3 == 0:
            discussion(child, timezone.localdate() - dt.timedelta(days=10), rag="red")
    client.force_login(cast.supervisor)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("children:child_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_home_page_children_panels_query_count_is_fixed(
    cast, client, count, django_assert_max_num_queries
):
    for i in range(count):
        ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            legal_status_since=timezone.localdate() - dt.timedelta(days=80 + i),
        )
    client.force_login(cast.agency_lead)
    # A fixed ceiling, not one per child: 80 before issue 17 item 1 read each kind once
    # (decision 0024; core/tests/test_home_queries.py holds every persona's home). With
    # children in the cadence, their agencies' rules take three more.
    with django_assert_max_num_queries(53):
        response = client.get(reverse("home"))
    # Issue 12: the home page counts them and links to the children list.
    assert reverse("children:child_list") + "?show=" in response.content.decode()


def test_timeline_shows_ratings_in_words(cast, client):
    child = ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        legal_status_since=timezone.localdate() - dt.timedelta(days=300),
    )
    for days, rag in ((200, "green"), (120, "amber"), (30, "red")):
        discussion(child, timezone.localdate() - dt.timedelta(days=days), rag=rag)
    services.drift_evaluate(child=child)
    client.force_login(cast.supervisor)
    page = client.get(reverse("children:child_timeline", args=[child.pk])).content.decode()
    assert "<svg" in page and "<table" in page
    assert "Red – getting worse" in page
    assert "Worse than last time" in page
    assert "1 green, 1 amber, 1 red" in page


def test_agency_lead_changes_drift_settings(cast, client):
    from oversight.children.models import DriftSettings

    client.force_login(cast.agency_lead)
    url = reverse("children:agency_settings", args=[cast.agency.pk])
    assert client.get(reverse("children:settings"))["Location"] == url
    assert 'value="3"' in client.get(url).content.decode()
    data = {
        "consecutive_enabled": "on",
        "consecutive_count": 2,
        "repeated_count": 6,
        "repeated_months": 6,
        "pre_review_working_days": 5,
        "escalation_days_supervisor": 1,
        "escalation_days_line_manager": 3,
        "escalation_days_senior_manager": 5,
        "escalation_days_partnership": 10,
    }
    assert client.post(url, data).status_code == 302
    settings = DriftSettings.objects.get(agency=cast.agency)
    assert settings.consecutive_count == 2 and not settings.worsening_enabled
    bad = client.post(url, {**data, "consecutive_count": 1})
    assert "There is a problem" in bad.content.decode()


# --- Finding a child in a long list -----------------------------------------------------------


@pytest.fixture
def caseload(cast):
    """Three of the practitioner's children: one overdue, one discussed last week, one on a
    protection plan; and one in another agency that nobody here may see."""
    day = timezone.localdate()
    overdue = ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        case_reference="CS-100",
        display_name="Family Ashworth – child A",
        legal_status_since=day - dt.timedelta(days=200),
    )
    recent = ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        case_reference="CS-200",
        display_name="Family Brennan – child B",
    )
    discussion(recent, day - dt.timedelta(days=7), rag="amber")
    plan = ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        case_reference="CS-300",
        display_name="Family Carter – child C",
        legal_status=LegalStatus.CHILD_PROTECTION,
    )
    discussion(plan, day - dt.timedelta(days=3), rag="red")
    ChildFactory(
        agency=cast.other_agency,
        allocated_practitioner=cast.other_practitioner,
        case_reference="CS-101",
        display_name="Family Ashworth – child Z",
    )
    return {"overdue": overdue, "recent": recent, "plan": plan}


def _listed(client, **params) -> str:
    return client.get(reverse("children:child_list"), params).content.decode()


@pytest.mark.parametrize(
    ("params", "found", "not_found"),
    [
        ({"q": "ashworth"}, ["Family Ashworth – child A"], ["Brennan", "Carter", "child Z"]),
        ({"q": "CS-2"}, ["Family Brennan"], ["Ashworth", "Carter"]),
        ({"legal_status": "child_protection"}, ["Family Carter"], ["Ashworth", "Brennan"]),
        ({"show": "overdue"}, ["Family Ashworth – child A"], ["Brennan", "Carter"]),
        ({"q": "family", "show": "overdue"}, ["Family Ashworth – child A"], ["Carter"]),
    ],
)
def test_search_and_filter_narrow_the_children_list(
    cast, client, caseload, params, found, not_found
):
    client.force_login(cast.practitioner)
    page = _listed(client, **params)
    for text in found:
        assert text in page
    for text in not_found:
        assert text not in page
    assert 'value="' + params.get("q", "") + '"' in page  # what was typed stays in the box


def test_a_search_that_finds_nothing_says_so_and_offers_to_clear(cast, client, caseload):
    client.force_login(cast.practitioner)
    page = _listed(client, q="Zebedee")
    assert "No child in your view matches this search." in page
    assert "Clear the search" in page


def test_a_bad_filter_is_named_and_the_whole_list_still_shows(cast, client, caseload):
    client.force_login(cast.practitioner)
    page = _listed(client, legal_status="adopted", q="x" * 101)
    assert "There is a problem" in page
    assert "Select status from the choices given" in page
    assert "Family Brennan" in page and "Family Carter" in page


def test_the_counts_link_to_the_children_they_count(cast, client, caseload):
    client.force_login(cast.practitioner)
    page = _listed(client, q="family")
    assert "?q=family&amp;show=overdue" in page
    assert "?q=family&amp;show=drifting" in page
