"""One child, several agencies (issue 13): involvements, the multi-agency summary on the
child's page, who sees it and who never does, and that no other agency's discussion text,
wellbeing or record leaks through any page, export or PDF."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from oversight.children import services
from oversight.children.models import AgencyInvolvement, Child
from oversight.children.tests.factories import ChildFactory, ReviewMeetingFactory
from oversight.children.tests.multi import discuss, involve
from oversight.core.models import AuditEvent
from oversight.core.testing import today_is
from oversight.people.models import Role
from oversight.people.tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 17)  # a Tuesday
SW_NOTES = "Mother disclosed SW-PRIVATE-NOTE about the new partner"
HV_NOTES = "Health visitor noted HV-PRIVATE-NOTE at the home visit"
VALID_NHS = "9434765919"  # a well-formed NHS number (modulus 11)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def shared_child(cast: Any) -> Child:
    """A child the council holds (social worker: practitioner) and health is involved with
    (health visitor: other_practitioner), each agency with its own discussion and rating."""
    child: Child = ChildFactory.create(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        legal_status_since=ago(300),
        nhs_number=VALID_NHS,
    )
    involve(child, cast.other_agency, worker=cast.other_practitioner, reference="HV-77")
    discuss(
        child,
        agency=cast.agency,
        supervisee=cast.practitioner,
        supervisor=cast.supervisor,
        on=ago(20),
        rag="red",
        notes=SW_NOTES,
    )
    discuss(
        child,
        agency=cast.other_agency,
        supervisee=cast.other_practitioner,
        supervisor=cast.other_supervisor,
        on=ago(12),
        rag="green",
        notes=HV_NOTES,
    )
    return child


# --- Item 1: involvements ---------------------------------------------------------------------


def test_existing_children_get_their_owning_agency_involvement_from_their_own_fields(cast):
    migration = importlib.import_module(
        "oversight.children.migrations.0008_owning_agency_involvement"
    )
    child = ChildFactory(
        agency=cast.agency,
        case_reference="CS-1",
        allocated_practitioner=cast.practitioner,
        legal_status_since=ago(40),
    )
    labelled = ChildFactory(agency=cast.agency, case_reference="CS-2", legal_status_since=None)
    AgencyInvolvement.objects.create(child=labelled, agency=cast.other_agency, starts_on=ago(5))

    migration.owning_involvements(apps, None)
    migration.owning_involvements(apps, None)  # run again: nothing twice

    own = AgencyInvolvement.objects.get(child=child)
    assert (own.agency, own.case_reference, own.allocated_worker, own.starts_on) == (
        cast.agency,
        "CS-1",
        cast.practitioner,
        ago(40),
    )
    assert AgencyInvolvement.objects.filter(child=labelled).count() == 2
    held = AgencyInvolvement.objects.get(child=labelled, agency=cast.agency)
    assert held.starts_on == labelled.created_at.date()
    assert held.allocated_worker is None


def test_register_services_keep_the_owning_involvement_in_step(cast):
    child = services.child_create(
        actor=cast.practitioner,
        agency=cast.agency,
        case_reference="CS-9",
        display_name="Family K – child A",
        legal_status="child_in_need",
        status_since=ago(10),
        allocated_practitioner=cast.practitioner,
        nhs_number="943 476 5919",
    )
    assert child.nhs_number == VALID_NHS
    own = AgencyInvolvement.objects.get(child=child, agency=cast.agency)
    assert (own.case_reference, own.allocated_worker) == ("CS-9", cast.practitioner)
    other = f.PersonFactory()
    f.MembershipFactory(person=other, agency=cast.agency)
    services.child_allocate(child=child, actor=cast.supervisor, practitioner=other, starts_on=TODAY)
    own.refresh_from_db()
    assert own.allocated_worker == other


def add_health(cast: Any, **match: Any) -> AgencyInvolvement:
    return services.involvement_add(
        actor=cast.other_lead,
        agency=cast.other_agency,
        case_reference="HV-1",
        allocated_worker=cast.other_practitioner,
        starts_on=ago(3),
        lawful_basis="safeguarding",
        **match,
    )


def test_another_agency_finds_the_child_by_exact_nhs_number(cast):
    child = ChildFactory(agency=cast.agency, nhs_number=VALID_NHS)
    involvement = add_health(cast, nhs_number="943-476-5919")
    assert involvement.child == child
    assert involvement.lawful_basis == "safeguarding"
    assert cast.other_agency in child.agencies_involved.all()
    assert AuditEvent.objects.filter(
        actor=cast.other_lead, action="create", object_id=str(involvement.pk)
    ).exists()


def test_another_agency_finds_the_child_by_the_holding_agencys_exact_case_reference(cast):
    child = ChildFactory(agency=cast.agency, case_reference="CS-123")
    assert add_health(cast, other_agency=cast.agency, other_case_reference="CS-123").child == child


@pytest.mark.parametrize(
    "match",
    [
        {"other_case_reference": "CS-12"},  # part of the reference
        {"other_case_reference": "cs-123"},  # another spelling
        {"other_case_reference": "CS-1234"},
    ],
)
def test_only_an_exact_reference_finds_a_child_and_nothing_is_listed(cast, match):
    ChildFactory(agency=cast.agency, case_reference="CS-123")
    with pytest.raises(ValidationError) as error:
        add_health(cast, other_agency=cast.agency, **match)
    assert error.value.message_dict == {"other_case_reference": [services.involvements.NO_MATCH]}
    assert not AgencyInvolvement.objects.filter(agency=cast.other_agency).exists()


def test_a_wrong_or_unknown_nhs_number_is_refused_in_our_words(cast):
    ChildFactory(agency=cast.agency, nhs_number=VALID_NHS)
    with pytest.raises(ValidationError) as error:
        add_health(cast, nhs_number="9434765918")
    assert "not a valid NHS number" in str(error.value)
    with pytest.raises(ValidationError) as error:
        add_health(cast, nhs_number="4010232137")  # valid, but no child holds it
    assert services.involvements.NO_MATCH in str(error.value)


def test_an_agency_cannot_add_an_involvement_for_an_agency_it_does_not_supervise_in(cast):
    ChildFactory(agency=cast.agency, nhs_number=VALID_NHS)
    with pytest.raises(ValidationError) as error:
        services.involvement_add(
            actor=cast.other_practitioner,
            agency=cast.other_agency,
            case_reference="HV-1",
            allocated_worker=None,
            starts_on=ago(3),
            lawful_basis="safeguarding",
            nhs_number=VALID_NHS,
        )
    assert "agency" in error.value.message_dict


def test_the_lawful_basis_is_required_and_an_agency_is_involved_once(cast):
    ChildFactory(agency=cast.agency, nhs_number=VALID_NHS)
    with pytest.raises(ValidationError) as error:
        services.involvement_add(
            actor=cast.other_lead,
            agency=cast.other_agency,
            case_reference="HV-1",
            allocated_worker=None,
            starts_on=ago(3),
            lawful_basis="",
            nhs_number=VALID_NHS,
        )
    assert error.value.message_dict == {"lawful_basis": ["Choose the lawful basis for sharing."]}
    add_health(cast, nhs_number=VALID_NHS)
    with pytest.raises(ValidationError) as error:
        add_health(cast, nhs_number=VALID_NHS)
    assert "already involved" in str(error.value)


def test_the_owning_agencys_label_is_replaced_by_the_agencys_own_involvement(cast):
    child = services.child_create(
        actor=cast.practitioner,
        agency=cast.agency,
        case_reference="CS-5",
        display_name="Family L – child A",
        legal_status="child_in_need",
        status_since=ago(30),
        allocated_practitioner=cast.practitioner,
        agencies_involved=[cast.other_agency],
        nhs_number=VALID_NHS,
    )
    add_health(cast, nhs_number=VALID_NHS)
    rows = AgencyInvolvement.objects.live().filter(child=child, agency=cast.other_agency)
    assert [(r.case_reference, r.ends_on) for r in rows.order_by("starts_on")] == [
        ("", ago(4)),
        ("HV-1", None),
    ]
    # The owning agency's edit form no longer ends health's own involvement.
    services.child_update(
        child=child,
        actor=cast.practitioner,
        expected_version=Child.objects.get(pk=child.pk).version,
        case_reference="CS-5",
        display_name="Family L – child A",
        date_of_birth=None,
        agencies_involved=[],
    )
    assert rows.filter(ends_on__isnull=True).get().case_reference == "HV-1"


def test_the_add_involvement_page_finds_the_child_and_opens_its_summary(cast, client):
    child = ChildFactory(agency=cast.agency, nhs_number=VALID_NHS, display_name="Family Q")
    client.force_login(cast.other_lead)
    page = client.get(reverse("children:involvement_add"))
    assert page.status_code == 200
    assert "Family Q" not in page.content.decode()
    response = client.post(
        reverse("children:involvement_add"),
        {
            "agency": cast.other_agency.pk,
            "nhs_number": "1234567890",
            "other_case_reference": "",
            "case_reference": "HV-8",
            "allocated_worker": cast.other_practitioner.pk,
            "starts_on_0": "",
            "starts_on": ago(2).isoformat(),
            "lawful_basis": "safeguarding",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "NHS number" in body and "HV-8" in body  # the form keeps what was typed
    response = client.post(
        reverse("children:involvement_add"),
        {
            "agency": cast.other_agency.pk,
            "nhs_number": VALID_NHS,
            "case_reference": "HV-8",
            "allocated_worker": cast.other_practitioner.pk,
            "starts_on": ago(2).isoformat(),
            "lawful_basis": "safeguarding",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("children:child_detail", args=[child.pk])
    summary = client.get(response["Location"]).content.decode()
    assert "Family Q" in summary and "Agencies involved" in summary


# --- Item 2: the summary and who sees it ------------------------------------------------------


def test_each_agency_sees_the_others_latest_rating_but_never_their_notes(cast, client):
    child = shared_child(cast)
    for person in (cast.practitioner, cast.other_practitioner):
        client.force_login(person)
        body = client.get(reverse("children:child_detail", args=[child.pk])).content.decode()
        assert "Testshire Children&#x27;s Services" in body
        assert "Testshire Community Health" in body
        assert "Red" in body and "Green" in body
        assert ago(20).strftime("%-d %b %Y") in body and ago(12).strftime("%-d %b %Y") in body
        assert "SW-PRIVATE-NOTE" not in body
        assert "HV-PRIVATE-NOTE" not in body
    # The health visitor sees the summary only: not the council's allocation history.
    client.force_login(cast.other_practitioner)
    body = client.get(reverse("children:child_detail", args=[child.pk])).content.decode()
    assert "Allocation history" not in body
    assert "HV-77" in body  # their own reference
    assert child.case_reference not in body  # not the council's


def test_the_summary_shows_shared_meetings_flags_escalations_and_named_contacts(cast, client):
    child = shared_child(cast)
    meeting = ReviewMeetingFactory(
        child=child, kind="core_group", meets_on=TODAY + dt.timedelta(days=5)
    )
    meeting.agencies_expected.set([cast.agency, cast.other_agency])
    services.escalation_raise(
        actor=cast.practitioner,
        agency=cast.agency,
        subject="agency_response",
        about_agency=cast.other_agency,
        child=child,
        reason="ESCALATION-PRIVATE-REASON",
        what_was_tried="Phoned",
    )
    services.partnership_drift_evaluate(child_ids=[child.pk], today=TODAY)
    client.force_login(cast.other_supervisor)
    body = client.get(reverse("children:child_detail", args=[child.pk])).content.decode()
    assert "Core group" in body
    assert "Agencies&#x27; ratings disagree" in body
    assert "Testshire Children&#x27;s Services about Testshire Community Health" in body
    assert "ESCALATION-PRIVATE-REASON" not in body
    assert cast.practitioner.display_name in body  # the council's named contact
    assert cast.other_practitioner.display_name in body


def test_every_view_of_the_summary_is_audited(cast, client):
    child = shared_child(cast)
    client.force_login(cast.other_lead)
    for _ in range(2):
        assert client.get(reverse("children:child_detail", args=[child.pk])).status_code == 200
    events = AuditEvent.objects.filter(actor=cast.other_lead, action="view")
    assert [e.detail for e in events] == [{"multi_agency_summary": True, "agencies": 2}] * 2


@pytest.mark.parametrize("who", ["stranger_lead", "ended", "label_only"])
def test_the_summary_is_refused_to_agencies_not_involved_today(cast, client, who):
    child = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    if who == "stranger_lead":
        third = f.AgencyFactory(name="Testshire Police")
        viewer = f.PersonFactory()
        f.MembershipFactory(person=viewer, agency=third)
        f.RoleAssignmentFactory(person=viewer, agency=third, role=Role.AGENCY_LEAD)
        involve(child, cast.other_agency, worker=cast.other_practitioner)
    elif who == "ended":
        viewer = cast.other_practitioner
        involve(child, cast.other_agency, worker=viewer, starts_on=ago(90), ends_on=ago(1))
    else:
        viewer = cast.other_lead
        AgencyInvolvement.objects.create(child=child, agency=cast.other_agency, starts_on=ago(9))
    client.force_login(viewer)
    response = client.get(reverse("children:child_detail", args=[child.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(actor=viewer, action="view").exists()


def test_an_ended_involvement_closes_the_summary_from_the_next_day(cast, client):
    child = shared_child(cast)
    involvement = AgencyInvolvement.objects.get(child=child, agency=cast.other_agency)
    client.force_login(cast.other_supervisor)
    page = client.post(
        reverse("children:involvement_end", args=[involvement.pk]), {"ends_on": ago(1).isoformat()}
    )
    assert page.status_code == 302
    assert client.get(reverse("children:child_detail", args=[child.pk])).status_code == 403


@pytest.mark.parametrize("agencies,children", [(2, 1), (5, 6)])
def test_the_summary_query_count_does_not_grow_with_agencies_or_children(
    cast, client, agencies, children, django_assert_max_num_queries
):
    child = shared_child(cast)
    for n in range(agencies - 2):
        agency = f.AgencyFactory(name=f"Agency {n}")
        worker = f.PersonFactory()
        f.MembershipFactory(person=worker, agency=agency)
        involve(child, agency, worker=worker)
        supervisor = f.PersonFactory()
        discuss(
            child,
            agency=agency,
            supervisee=worker,
            supervisor=supervisor,
            on=ago(5 + n),
            rag="amber",
        )
        meeting = ReviewMeetingFactory(child=child, meets_on=ago(30 + n))
        meeting.agencies_expected.set([agency, cast.agency])
    for _ in range(children - 1):
        other = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
        involve(other, cast.other_agency, worker=cast.other_practitioner)
    client.force_login(cast.other_practitioner)
    # 31: the header's unread notifications and, once there are review meetings, one prefetch
    # of the agencies expected at them, however many there are.
    with django_assert_max_num_queries(31):
        response = client.get(reverse("children:child_detail", args=[child.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Holds the child on its register") == 1


# --- No other agency's notes through any page, export or PDF ---------------------------------


def _plain_urls() -> list[str]:
    """Every GET page of the site that takes no argument."""
    found: list[str] = []

    def walk(patterns: Any, prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex:
                try:
                    found.append(reverse(prefix + p.name))
                except Exception:
                    continue

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def test_another_agencys_discussion_text_is_never_visible_to_the_other_agency(cast, client):
    """The health visitor, their supervisor and their lead open every page and export that
    takes no argument, the child's pages and the council's session, record and PDF: none
    shows the council's notes or wellbeing (and the council's people never see health's)."""
    child = shared_child(cast)
    sw_session = child.case_discussions.get(record__session__agency=cast.agency).record.session
    hv_session = child.case_discussions.get(
        record__session__agency=cast.other_agency
    ).record.session
    pages = [
        *_plain_urls(),
        reverse("assurance:compliance_export", args=["csv"]),
        reverse("assurance:partnership_export", args=["csv"]),
        reverse("assurance:agency_export", args=[cast.agency.pk, "csv"]),
        reverse("assurance:agency_export", args=[cast.other_agency.pk, "csv"]),
    ]
    assert len(pages) > 20
    checks = [
        (
            (cast.other_practitioner, cast.other_supervisor, cast.other_lead),
            "SW-PRIVATE-NOTE",
            sw_session,
        ),
        ((cast.practitioner, cast.supervisor, cast.agency_lead), "HV-PRIVATE-NOTE", hv_session),
    ]
    for viewers, secret, session in checks:
        own_pages = [
            reverse("children:child_detail", args=[child.pk]),
            reverse("children:child_timeline", args=[child.pk]),
            reverse("supervision:session_detail", args=[session.pk]),
            reverse("supervision:record", args=[session.pk]),
        ]
        for viewer in viewers:
            client.force_login(viewer)
            for url in pages + own_pages:
                response = client.get(url)
                if response.status_code != 200 or response.streaming:
                    continue
                assert secret not in response.content.decode(errors="ignore"), (viewer, url)
            pdf = client.get(reverse("supervision:record_pdf", args=[session.pk]))
            assert pdf.status_code in (403, 404), (viewer, pdf.status_code)
            for url in own_pages[2:]:
                assert client.get(url).status_code == 403, (viewer, url)


# --- Item 4: a plan every agency contributes to -----------------------------------------------


def test_each_agency_writes_its_own_contribution_and_sees_the_others(cast, client):
    child = shared_child(cast)
    url = reverse("children:plan_contribution", args=[child.pk])
    client.force_login(cast.other_practitioner)
    response = client.post(url, {"contribution": "", "version": ""})
    assert "Enter what your agency contributes to the plan." in response.content.decode()
    response = client.post(url, {"contribution": "Weekly health visits until the review."})
    assert response.status_code == 302
    client.force_login(cast.supervisor)
    response = client.post(url, {"contribution": "Core group every six weeks; CIN plan."})
    assert response.status_code == 302
    client.force_login(cast.other_lead)
    body = client.get(reverse("children:child_detail", args=[child.pk])).content.decode()
    assert "Weekly health visits until the review." in body
    assert "Core group every six weeks; CIN plan." in body
    assert "SW-PRIVATE-NOTE" not in body and "HV-PRIVATE-NOTE" not in body
    # The health lead edits health's contribution, not the council's.
    page = client.get(url).content.decode()
    assert "Weekly health visits" in page and "Core group every six weeks" not in page
    # A stale edit is refused, showing both versions.
    client.force_login(cast.other_practitioner)
    response = client.post(url, {"contribution": "Fortnightly visits.", "version": "1"})
    response = client.post(url, {"contribution": "Monthly visits.", "version": "1"})
    assert response.status_code == 200
    assert "Fortnightly visits." in response.content.decode()


def test_the_health_visitor_finds_the_child_on_their_children_list(cast, client):
    child = shared_child(cast)
    client.force_login(cast.other_practitioner)
    body = client.get(reverse("children:child_list")).content.decode()
    assert "Children another agency holds that your agency is involved with" in body
    assert reverse("children:child_detail", args=[child.pk]) in body
    assert "HV-77" in body and child.case_reference not in body
    client.force_login(cast.stranger)
    body = client.get(reverse("children:child_list")).content.decode()
    assert child.display_name not in body


def test_the_involved_agencys_supervision_may_discuss_the_child(cast):
    """A health session for the health visitor offers the child health is involved with; a
    session in a third agency, or after the involvement ends, does not."""
    from oversight.supervision.models import Session
    from oversight.supervision.selectors import children_for_session

    child = shared_child(cast)
    session = Session.objects.create(
        session_type="one_to_one",
        supervisor=cast.other_supervisor,
        supervisee=cast.other_practitioner,
        agency=cast.other_agency,
        planned_start=timezone.make_aware(dt.datetime.combine(TODAY, dt.time(10))),
    )
    assert child in children_for_session(session)
    AgencyInvolvement.objects.filter(child=child, agency=cast.other_agency).update(ends_on=ago(1))
    assert child not in children_for_session(session)
