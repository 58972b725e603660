"""Multi-agency audit (issue 13 item 5; seed 004 objective 2): the partnership auditor samples
children known to two or more agencies, stratified by risk; the sample covers each agency's
session records and management oversight records for them; the auditor grades each agency's
part and the multi-agency working, rolled up on the partnership dashboard. Auditors see only
sampled records, never wellbeing, and every view is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from oversight.assurance.models import (
    AuditedAgencyPart,
    AuditedChild,
    AuditedRecord,
    RecordAudit,
    Stratum,
)
from oversight.assurance.selectors import Period, multi_agency_audit_table
from oversight.children.tests.factories import ChildFactory
from oversight.children.tests.multi import discuss, involve
from oversight.core.models import AuditAction, AuditEvent
from oversight.core.testing import today_is
from oversight.supervision.models import ManagementOversight

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)
START = TODAY - dt.timedelta(days=90)
SW_NOTES = "SW-AUDITED-NOTE about the family"
HV_NOTES = "HV-AUDITED-NOTE from the home visit"
RECORD_GRADES = {
    "child_focused": "met",
    "needs_risks_analysed": "met",
    "rag_given": "met",
    "actions_owned_dated": "met",
    "reflection_evidenced": "met",
    "signed_in_time": "met",
    "decisions_on_file": "met",
}
OVERSIGHT_GRADES = {
    "child_focused": "met",
    "needs_risks_analysed": "partly",
    "actions_owned_dated": "met",
    "decisions_on_file": "met",
}


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def shared(cast: Any, *, sw: list[tuple[int, str]], hv: list[tuple[int, str]], **kw: Any) -> Any:
    """A child the council holds and health is involved with, discussed in each agency's own
    supervision on the given days ago with the given ratings."""
    child: Any = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    involve(child, cast.other_agency, worker=cast.other_practitioner, **kw)
    for days, rag in sw:
        discuss(
            child,
            agency=cast.agency,
            supervisee=cast.practitioner,
            supervisor=cast.supervisor,
            on=ago(days),
            rag=rag,
            notes=SW_NOTES,
        )
    for days, rag in hv:
        discuss(
            child,
            agency=cast.other_agency,
            supervisee=cast.other_practitioner,
            supervisor=cast.other_supervisor,
            on=ago(days),
            rag=rag,
            notes=HV_NOTES,
        )
    return child


def oversee(cast: Any, child: Any, days: int, agency: Any = None) -> ManagementOversight:
    return ManagementOversight.objects.create(
        child=child,
        agency=agency or cast.agency,
        made_by=cast.line_manager,
        made_on=ago(days),
        summary="Reviewed the plan after the core group",
    )


def draw(client: Any, per_stratum: int = 5) -> Any:
    return client.post(
        reverse("assurance:multi_agency_audit_draw"),
        {
            "title": "Multi-agency audit, autumn",
            "period_start": START.isoformat(),
            "period_end": TODAY.isoformat(),
            "per_stratum": str(per_stratum),
        },
    )


def test_the_sample_is_children_known_to_two_or_more_agencies_stratified_by_risk(cast, client):
    # Health rated green before the period and red in it: escalating, though the council
    # has rated the child red throughout (each agency's ratings read in its own order).
    escalating = shared(cast, sw=[(200, "red"), (30, "red")], hv=[(150, "green"), (20, "red")])
    high = shared(cast, sw=[(40, "red")], hv=[(35, "amber")])
    medium = shared(cast, sw=[(50, "amber")], hv=[(45, "green")])
    shared(cast, sw=[(25, "green")], hv=[(22, "green")])  # green everywhere: not sampled
    one_agency: Any = ChildFactory(agency=cast.agency)
    discuss(
        one_agency,
        agency=cast.agency,
        supervisee=cast.practitioner,
        supervisor=cast.supervisor,
        on=ago(10),
        rag="red",
    )
    # Health's involvement ended before the period: the child is known to one agency in it.
    ended = shared(cast, sw=[(15, "red")], hv=[(120, "red")], ends_on=ago(100))
    oversight = oversee(cast, high, 38)
    oversee(cast, high, 200)  # outside the period

    client.force_login(cast.auditor)
    response = draw(client)
    audit = RecordAudit.objects.get()
    assert response["Location"] == reverse("assurance:audit_detail", args=[audit.pk])
    assert audit.multi_agency and audit.agency is None
    sampled = {c.child_id: c.stratum for c in AuditedChild.objects.filter(audit=audit)}
    assert sampled == {
        escalating.pk: Stratum.ESCALATING,
        high.pk: Stratum.HIGH,
        medium.pk: Stratum.MEDIUM,
    }
    assert one_agency.pk not in sampled and ended.pk not in sampled
    parts = set(
        AuditedAgencyPart.objects.filter(audited_child__audit=audit).values_list(
            "audited_child__child_id", "agency_id"
        )
    )
    assert parts == {
        (child.pk, agency.pk)
        for child in (escalating, high, medium)
        for agency in (cast.agency, cast.other_agency)
    }
    items = AuditedRecord.objects.filter(audit=audit, child=high)
    assert sorted(items.values_list("source_agency_id", flat=True)) == sorted(
        [cast.agency.pk, cast.other_agency.pk, cast.agency.pk]
    )
    assert list(items.exclude(oversight=None).values_list("oversight_id", flat=True)) == [
        oversight.pk
    ]
    # Only records in the period: the escalating child's discussions 30 and 20 days ago.
    assert AuditedRecord.objects.filter(audit=audit, child=escalating).count() == 2


def test_nothing_to_sample_is_explained_in_our_words(cast, client):
    client.force_login(cast.auditor)
    response = draw(client)
    assert "No child known to two or more agencies was rated in this period." in (
        response.content.decode()
    )
    assert not RecordAudit.objects.exists()


def test_the_auditor_reads_each_agencys_sampled_records_never_wellbeing_every_view_logged(
    cast, client
):
    child = shared(cast, sw=[(40, "red")], hv=[(35, "amber")])
    oversee(cast, child, 30, agency=cast.other_agency)
    client.force_login(cast.auditor)
    draw(client)
    audit = RecordAudit.objects.get()
    sampled = AuditedChild.objects.get(audit=audit)

    detail = client.get(reverse("assurance:audit_detail", args=[audit.pk])).content.decode()
    assert child.display_name in detail
    assert "Testshire Community Health" in detail
    assert SW_NOTES not in detail and HV_NOTES not in detail  # the list shows no text

    page = client.get(reverse("assurance:audited_child", args=[sampled.pk]))
    assert page.status_code == 200
    assert "The part Testshire Community Health played" in page.content.decode()

    seen = []
    for item in AuditedRecord.objects.filter(audit=audit):
        html = client.get(reverse("assurance:audited_record", args=[item.pk])).content.decode()
        assert "wellbeing" not in html.replace("The wellbeing section is not shown", "")
        seen.append(html)
    joined = "".join(seen)
    assert SW_NOTES in joined and HV_NOTES in joined
    assert "Reviewed the plan after the core group" in joined
    logged = set(
        AuditEvent.objects.filter(actor=cast.auditor, action=AuditAction.VIEW).values_list(
            "object_type", flat=True
        )
    )
    assert logged == {
        "assurance.recordaudit",
        "assurance.auditedchild",
        "assurance.auditedrecord",
    }


def test_the_auditor_sees_nothing_outside_the_sample(cast, client):
    sampled_child = shared(cast, sw=[(40, "red")], hv=[(35, "amber")])
    outside = shared(cast, sw=[(40, "green")], hv=[(35, "green")])
    client.force_login(cast.auditor)
    draw(client)
    # The child's pages and the agencies' own records stay closed to the auditor, sampled
    # or not: the sample is read through the audit's pages only.
    for child in (sampled_child, outside):
        assert client.get(reverse("children:child_detail", args=[child.pk])).status_code == 403
    unsampled = outside.case_discussions.first().record.session
    assert client.get(reverse("supervision:record", args=[unsampled.pk])).status_code == 403
    # An agency's lead does not see the partnership's multi-agency audit, even of their child.
    audit = RecordAudit.objects.get()
    client.force_login(cast.agency_lead)
    assert client.get(reverse("assurance:audit_detail", args=[audit.pk])).status_code == 403
    item = AuditedRecord.objects.filter(audit=audit).first()
    assert client.get(reverse("assurance:audited_record", args=[item.pk])).status_code == 403
    listed = client.get(reverse("assurance:audit_list")).content.decode()
    assert audit.title not in listed


def _grade_everything(client: Any, audit: RecordAudit) -> None:
    for item in AuditedRecord.objects.filter(audit=audit):
        grades = OVERSIGHT_GRADES if item.oversight_id else RECORD_GRADES
        response = client.post(
            reverse("assurance:audited_record", args=[item.pk]),
            {**grades, "notes": "", "version": item.version},
        )
        assert response.status_code == 302
    for n, sampled in enumerate(AuditedChild.objects.filter(audit=audit).order_by("pk")):
        data: dict[str, Any] = {
            "working": "not_met" if n == 0 else "met",
            "notes": "Ratings differed and nobody challenged",
            "version": sampled.version,
        }
        for part in sampled.parts.all():
            data[f"part_{part.pk}"] = "met" if part.agency.name.endswith("Services") else "partly"
        response = client.post(reverse("assurance:audited_child", args=[sampled.pk]), data)
        assert response.status_code == 302, response.content.decode()


def test_grades_for_each_agencys_part_and_the_working_roll_up_on_the_partnership_dashboard(
    cast, client
):
    for n in range(5):
        child = shared(cast, sw=[(40 + n, "red")], hv=[(35 + n, "green")])
        oversee(cast, child, 30 + n)
    client.force_login(cast.auditor)
    draw(client)
    audit = RecordAudit.objects.get()
    complete = reverse("assurance:audit_complete", args=[audit.pk])

    sampled = AuditedChild.objects.filter(audit=audit).first()
    missing = client.post(
        reverse("assurance:audited_child", args=[sampled.pk]), {"version": sampled.version}
    )
    html = missing.content.decode()
    assert "Grade the part Testshire Community Health played" in html
    assert "Grade the multi-agency working" in html

    for item in AuditedRecord.objects.filter(audit=audit):
        grades = OVERSIGHT_GRADES if item.oversight_id else RECORD_GRADES
        client.post(
            reverse("assurance:audited_record", args=[item.pk]),
            {**grades, "version": item.version},
        )
    early = client.post(complete, {"findings": "Too soon", "version": audit.version})
    assert "for every sampled child before completing the audit" in early.content.decode()

    _grade_everything(client, audit)
    audit.refresh_from_db()
    done = client.post(
        complete,
        {
            "findings": "Health and the council rated differently without challenge.",
            "version": audit.version,
        },
    )
    assert done.status_code == 302
    table = multi_agency_audit_table(
        [cast.agency, cast.other_agency], Period(TODAY - dt.timedelta(days=30), TODAY)
    )
    assert table.rows == [
        ["Testshire Children's Services", 5, 100, 0, 0],
        ["Testshire Community Health", 5, 0, 100, 0],
        ["Multi-agency working", 5, 80, 0, 20],
    ]
    dashboard = client.get(
        reverse("assurance:partnership_question", args=["record-audit"])
    ).content.decode()
    assert (
        "Multi-agency audit: each agency&#x27;s part and the multi-agency working" in (dashboard)
        or "Multi-agency audit: each agency's part and the multi-agency working" in dashboard
    )
    # Once complete, grades are closed.
    again = client.post(reverse("assurance:audited_child", args=[sampled.pk]), {"version": 9})
    assert again.status_code == 403


def test_small_numbers_of_audited_children_are_hidden(cast, client):
    for n in range(2):
        shared(cast, sw=[(40 + n, "red")], hv=[(35 + n, "green")])
    client.force_login(cast.auditor)
    draw(client)
    audit = RecordAudit.objects.get()
    _grade_everything(client, audit)
    audit.refresh_from_db()
    client.post(
        reverse("assurance:audit_complete", args=[audit.pk]),
        {"findings": "Few children", "version": audit.version},
    )
    table = multi_agency_audit_table([cast.agency], Period(TODAY - dt.timedelta(days=30), TODAY))
    assert all(cell != 2 for row in table.rows for cell in row[1:])
    assert table.rows[0][1] == table.rows[-1][1]  # the same marker, never the count


@pytest.mark.parametrize("children,more_agencies", [(2, 1), (6, 3)])
def test_the_audit_pages_query_count_does_not_grow_with_children_or_agencies(
    cast, client, children, more_agencies, django_assert_max_num_queries
):
    from oversight.people.tests import factories as f

    more = [f.AgencyFactory(name=f"Testshire School {n}") for n in range(more_agencies)]
    for n in range(children):
        child = shared(cast, sw=[(40 + n, "red")], hv=[(35 + n, "amber")])
        for agency in more:
            involve(child, agency, reference=f"SCH-{agency.pk}-{n}")
        oversee(cast, child, 30 + n)
    client.force_login(cast.auditor)
    draw(client, per_stratum=10)
    audit = RecordAudit.objects.get()
    sampled = AuditedChild.objects.filter(audit=audit).first()
    with django_assert_max_num_queries(30):
        assert client.get(reverse("assurance:audit_detail", args=[audit.pk])).status_code == 200
    with django_assert_max_num_queries(30):
        page = client.get(reverse("assurance:audited_child", args=[sampled.pk]))
        assert page.status_code == 200
    with django_assert_max_num_queries(8):
        multi_agency_audit_table(
            [cast.agency, cast.other_agency, *more], Period(TODAY - dt.timedelta(days=30), TODAY)
        )
