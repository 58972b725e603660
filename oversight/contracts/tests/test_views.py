"""The contract and policy pages as people use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.contracts.models import ContractStatus, SupervisionContract, SupervisionPolicy
from oversight.contracts.services import contract_draft_create
from oversight.core.models import AuditEvent
from oversight.people.models import SupervisionRelationship
from oversight.people.tests import factories as pf

from .factories import SupervisionContractFactory, SupervisionPolicyFactory

pytestmark = pytest.mark.django_db


def relationship_of(cast: Any) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=cast.practitioner)


def form_data(contract: SupervisionContract, **changes: Any) -> dict[str, Any]:
    data = {
        "contact_level": contract.contact_level,
        "frequency_days": contract.frequency_days,
        "session_duration_minutes": contract.session_duration_minutes,
        "starts_on": contract.starts_on.isoformat(),
        "review_due_on": contract.review_due_on.isoformat(),
        "supervisor_responsibilities": contract.supervisor_responsibilities,
        "supervisee_responsibilities": contract.supervisee_responsibilities,
        "notice_of_changes": contract.notice_of_changes,
        "recording_arrangements": contract.recording_arrangements,
        "agenda_setting": contract.agenda_setting,
        "workload_performance_escalation": contract.workload_performance_escalation,
        "difference_of_opinion_escalation": contract.difference_of_opinion_escalation,
        "agenda_items_future": "",
        "learning_development": "",
        "role_opportunities_concerns": "",
        "version": contract.version,
    }
    data.update(changes)
    return data


def test_supervisor_drafts_a_contract_from_the_form(cast, client):
    client.force_login(cast.supervisor)
    url = reverse("contracts:contract_create", args=[relationship_of(cast).pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Draft a contract with" in page.content.decode()
    initial = page.context["form"].initial
    data = {k: v for k, v in initial.items() if v is not None}
    data["starts_on"] = initial["starts_on"].isoformat()
    data["review_due_on"] = initial["review_due_on"].isoformat()
    data["notice_of_changes"] = "48 hours' notice of a cancellation."
    response = client.post(url, data)
    contract = SupervisionContract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:contract_detail", args=[contract.pk])
    assert contract.notice_of_changes == "48 hours' notice of a cancellation."
    assert contract.created_by == cast.supervisor


def test_a_signed_contract_cannot_be_edited_through_the_view(cast, client):
    contract = SupervisionContractFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, signed=True
    )
    client.force_login(cast.supervisor)
    url = reverse("contracts:contract_edit", args=[contract.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, form_data(contract, notice_of_changes="Changed"))
    assert response.status_code == 403
    contract.refresh_from_db()
    assert contract.notice_of_changes != "Changed"
    detail = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert "Edit draft" not in detail.content.decode()
    assert "Review contract" in detail.content.decode()


def test_a_stale_draft_edit_is_refused_and_keeps_what_was_typed(cast, client):
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    opened = form_data(contract)
    client.force_login(cast.supervisor)
    url = reverse("contracts:contract_edit", args=[contract.pk])
    first = client.post(url, {**opened, "agenda_setting": "Agreed in the first tab"})
    assert first.status_code == 302
    second = client.post(url, {**opened, "agenda_setting": "Typed in the second tab"})
    assert second.status_code == 200
    body = second.content.decode()
    assert "Someone else changed this record" in body
    assert "govuk-error-summary" in body
    assert "Typed in the second tab" in body
    contract.refresh_from_db()
    assert contract.agenda_setting == "Agreed in the first tab"
    # Saving again, having seen the message, goes through.
    resubmitted = {**opened, "agenda_setting": "Typed in the second tab"}
    resubmitted["version"] = second.context["form"].data["version"]
    assert client.post(url, resubmitted).status_code == 302
    contract.refresh_from_db()
    assert contract.agenda_setting == "Typed in the second tab"


def test_signing_needs_an_explicit_confirmation_and_records_who(cast, client):
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    client.force_login(cast.practitioner)
    url = reverse("contracts:contract_sign", args=[contract.pk])
    refused = client.post(url, {})
    assert refused.status_code == 200
    assert "Confirm that you have read and agree" in refused.content.decode()
    contract.refresh_from_db()
    assert contract.supervisee_signed_at is None
    assert client.post(url, {"confirm": "on"}).status_code == 302
    contract.refresh_from_db()
    assert contract.supervisee_signed_by == cast.practitioner
    assert contract.status == ContractStatus.AWAITING_SIGNATURES
    # Signing again is not offered.
    assert client.get(url).status_code == 403


def test_every_read_of_a_contract_is_audited(cast, client):
    """Detail and printable pages; the edit, sign, review and end pages audit their GET too."""
    contract = SupervisionContractFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, signed=True
    )
    client.force_login(cast.line_manager)
    client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    client.get(reverse("contracts:contract_print", args=[contract.pk]))
    events = AuditEvent.objects.filter(
        object_type="contracts.supervisioncontract", object_id=str(contract.pk)
    )
    assert [e.action for e in events.order_by("at", "id")] == ["view", "export"]
    assert {e.actor for e in events} == {cast.line_manager}


def test_review_from_the_page_starts_the_next_revision(cast, client):
    contract = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=relationship_of(cast),
        signed=True,
        starts_on=timezone.localdate() - dt.timedelta(days=400),
    )
    client.force_login(cast.supervisor)
    response = client.post(reverse("contracts:contract_review", args=[contract.pk]))
    successor = SupervisionContract.objects.get(previous=contract)
    assert response["Location"] == reverse("contracts:contract_edit", args=[successor.pk])
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_lead_adds_a_policy_version_and_history_shows_what_changed(cast, client):
    SupervisionPolicyFactory(
        agency=cast.agency, effective_from=dt.date(2025, 1, 1), change_reason="First policy."
    )
    client.force_login(cast.agency_lead)
    url = reverse("contracts:policy_create", args=[cast.agency.pk])
    page = client.get(url)
    data = {k: v for k, v in page.context["form"].initial.items() if k != "effective_from"}
    data.update(
        staff_group="",
        effective_from=(timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        interval_days=21,
        change_reason="More frequent supervision after the thematic review.",
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "must be today or later" in refused.content.decode()
    assert "More frequent supervision" in refused.content.decode()
    data["effective_from"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    assert SupervisionPolicy.objects.filter(agency=cast.agency).count() == 2
    history = client.get(reverse("contracts:agency_policy", args=[cast.agency.pk]))
    body = history.content.decode()
    assert "Expected days between sessions: 30 to 21" in body
    assert "More frequent supervision after the thematic review." in body


def _many_contracts(cast: Any, n: int) -> None:
    for _ in range(n):
        supervisee = pf.PersonFactory()
        pf.MembershipFactory(person=supervisee, agency=cast.agency)
        relationship = pf.SupervisionRelationshipFactory(
            supervisor=cast.supervisor, supervisee=supervisee, agency=cast.agency
        )
        SupervisionContractFactory(
            supervisor=cast.supervisor,
            supervisee=supervisee,
            agency=cast.agency,
            relationship=relationship,
            signed=True,
        )
        pf.SupervisionRelationshipFactory(
            supervisor=cast.supervisor, supervisee=pf.PersonFactory(), agency=cast.agency
        )


@pytest.mark.parametrize(
    ("username", "url_name", "kwargs"),
    [
        ("supervisor", "contracts:contract_list", lambda cast: {}),
        ("agency_lead", "contracts:agency_contracts", lambda cast: {"agency_pk": cast.agency.pk}),
        ("agency_lead", "contracts:agency_policy", lambda cast: {"agency_pk": cast.agency.pk}),
    ],
)
def test_lists_use_a_fixed_number_of_queries(
    cast, client, django_assert_max_num_queries, username, url_name, kwargs
):
    client.force_login(cast.by_name(username))
    url = reverse(url_name, kwargs=kwargs(cast) or None)
    _many_contracts(cast, 2)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    _many_contracts(cast, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_home_panel_uses_a_fixed_number_of_queries(cast, rf, django_assert_max_num_queries):
    from django.template.loader import render_to_string

    from oversight.contracts.home import panels
    from oversight.people.selectors import access_profile

    def render() -> str:
        request = rf.get("/")
        request.user = cast.supervisor
        profile = access_profile(cast.supervisor)
        return "".join(
            render_to_string(p.template_name, {"panel": p, "user": cast.supervisor})
            for p in panels(request, profile)
        )

    _many_contracts(cast, 2)
    SupervisionContract.objects.update(review_due_on=timezone.localdate())
    with django_assert_max_num_queries(20) as few:
        render()
    _many_contracts(cast, 10)
    SupervisionContract.objects.update(review_due_on=timezone.localdate())
    with django_assert_max_num_queries(len(few.captured_queries)):
        render()
    request = rf.get("/")
    request.user = cast.supervisor
    (panel,) = panels(request, access_profile(cast.supervisor))
    # Issue 12: counted in "what needs you today"; the lists are on the contracts page.
    texts = [t.text for t in panel.tasks if t.count]
    assert any("due for review" in t or "past its review date" in t for t in texts), texts
    assert any("without a contract" in t for t in texts), texts


def test_a_staff_group_version_starts_from_that_groups_policy(cast, client):
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30)
    SupervisionPolicyFactory(agency=cast.agency, staff_group=cast.staff_group, interval_days=21)
    client.force_login(cast.agency_lead)
    url = reverse("contracts:policy_create", args=[cast.agency.pk])
    initial = client.get(url, {"staff_group": cast.staff_group.pk}).context["form"].initial
    assert initial["interval_days"] == 21
    assert initial["staff_group"] == str(cast.staff_group.pk)
    other = client.get(url, {"staff_group": "not-a-number"}).context["form"].initial
    assert other["interval_days"] == 30 and other["staff_group"] == ""
    history = client.get(reverse("contracts:agency_policy", args=[cast.agency.pk]))
    assert f"Add a new version for {cast.staff_group.name.lower()}" in history.content.decode()


def test_line_manager_finds_reports_contracts_and_the_list_read_is_audited(cast, client):
    contract = SupervisionContractFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, signed=True
    )
    client.force_login(cast.line_manager)
    body = client.get(reverse("contracts:contract_list")).content.decode()
    assert "Contracts of people I line-manage" in body
    assert reverse("contracts:contract_detail", args=[contract.pk]) in body
    event = AuditEvent.objects.get(actor=cast.line_manager, action="view")
    assert event.detail == {"page": "my contracts", "contracts": [contract.pk]}


def test_two_versions_on_one_day_are_refused_with_a_clear_message(cast, client):
    client.force_login(cast.agency_lead)
    url = reverse("contracts:policy_create", args=[cast.agency.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items()}
    data.update(effective_from=timezone.localdate().isoformat(), change_reason="Annual refresh.")
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert "A version already takes effect on this date" in again.content.decode()


# --- What the rules answered for the viewer (decision 0002: templates compare no ids) -------


def test_each_party_is_told_which_side_they_sign_for(cast, client):
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    url = reverse("contracts:contract_sign", args=[contract.pk])
    client.force_login(cast.supervisor)
    assert "You sign for yourself as supervisor." in client.get(url).content.decode()
    client.force_login(cast.practitioner)
    assert "You sign for yourself as supervisee." in client.get(url).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "1 supervision contract to sign" in home and url in home


def test_the_contracts_list_links_to_the_agency_list_for_its_lead_only(cast, client):
    agency_list = reverse("contracts:agency_contracts", args=[cast.agency.pk])
    client.force_login(cast.agency_lead)
    assert agency_list in client.get(reverse("contracts:contract_list")).content.decode()
    client.force_login(cast.supervisor)
    page = client.get(reverse("contracts:contract_list")).content.decode()
    assert reverse("contracts:agency_policy", args=[cast.agency.pk]) in page
    assert agency_list not in page
