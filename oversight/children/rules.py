"""Who may see and change children, escalations, urgent requests, disclosures and concerns.

- a child: the allocated practitioner, their current safeguarding supervisor and line manager,
  and the safeguarding lead of the owning agency. Other agencies' staff never see a child's
  personal details (seed 003; nothing personal above the owning agency). The partnership
  auditor sees counts only; the administrator sees no children.
- adding a child: anyone holding a practitioner, supervisor, line manager or lead role.
- a child's multi-agency summary (issue 13 item 2): everyone above, and, for each other agency
  with a current involvement of its own (its own case reference, not a label): that agency's
  leads, the involvement's allocated worker and the worker's supervisor and line manager. The
  summary shows who is involved, dates and ratings, flags, meetings, escalations and contacts;
  never another agency's discussion text, wellbeing or records. An ended involvement gives
  nothing.
- adding an agency's involvement: a supervisor or lead of that agency, who finds the child by
  an exact NHS number or another agency's case reference (no browsing across agencies);
  ending it: the lead of that agency or a supervisor there.
- drift flags: acknowledged by the supervisor, line manager or agency lead (not the
  practitioner alone: a flag is closed with a management decision).
- escalations: the person who raised it, their supervisor and line manager, the leads of the
  agency that raised it and of the agency whose response it is about.
- urgent discussion: asked for by anyone with a current supervisor; seen and answered by that
  supervisor while they supervise the requester today (and seen by the agency lead).
- disclosures: made by a supervisor about a current supervisee; seen by the supervisor who
  made it, the agency lead, and the supervisee (that it was made, category and date only).
- drift and escalation settings: the lead of the agency in the URL (decision 0002); a lead of
  several agencies chooses which.
- concerns about supervision: the supervisee who raised it, the supervisor (while they
  supervise the supervisee today, decision 0002), the supervisee's
  line manager and the agency lead. The list of an agency's concerns, open and resolved, with
  who agreed what: that agency's lead only (checked against the agency in the URL, so a lead
  of two agencies sees each on its own page).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import rules

from oversight.people.models import Role
from oversight.people.selectors import access_profile


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    LIST_CHILDREN = "children.list_children"
    ADD_CHILD = "children.add_child"
    VIEW_CHILD = "children.view_child"
    CHANGE_CHILD = "children.change_child"
    VIEW_CHILD_SUMMARY = "children.view_child_summary"
    CONTRIBUTE_PLAN = "children.contribute_plan"
    ADD_INVOLVEMENT = "children.add_involvement"
    END_INVOLVEMENT = "children.end_involvement"
    VIEW_COUNTS = "children.view_counts"
    CHOOSE_SETTINGS_AGENCY = "children.choose_settings_agency"
    CHANGE_SETTINGS = "children.change_settings"
    ACKNOWLEDGE_FLAG = "children.acknowledge_flag"
    LIST_ESCALATIONS = "children.list_escalations"
    RAISE_ESCALATION = "children.raise_escalation"
    VIEW_ESCALATION = "children.view_escalation"
    RESPOND_ESCALATION = "children.respond_escalation"
    REQUEST_URGENT = "children.request_urgent"
    VIEW_URGENT = "children.view_urgent"
    RESPOND_URGENT = "children.respond_urgent"
    RECORD_DISCLOSURE = "children.record_disclosure"
    VIEW_DISCLOSURE = "children.view_disclosure"
    VIEW_DISCLOSURE_DETAIL = "children.view_disclosure_detail"
    RESEND_DISCLOSURE_ALERT = "children.resend_disclosure_alert"
    RAISE_CONCERN = "children.raise_concern"
    VIEW_CONCERN = "children.view_concern"
    RECORD_CONCERN = "children.record_concern"
    LIST_AGENCY_CONCERNS = "children.list_agency_concerns"


STAFF_ROLES = (Role.PRACTITIONER, Role.SUPERVISOR, Role.LINE_MANAGER, Role.AGENCY_LEAD)


def _profile(user: Any) -> Any:
    return access_profile(user)


@rules.predicate
def holds_agency_role(user: Any) -> bool:
    profile = _profile(user)
    return any(profile.agencies_with_role(role) for role in STAFF_ROLES)


@rules.predicate
def is_agency_lead(user: Any) -> bool:
    return bool(_profile(user).led_agency_ids)


@rules.predicate
def is_partnership_viewer(user: Any) -> bool:
    profile = _profile(user)
    return profile.is_partnership_auditor or bool(profile.led_agency_ids)


@rules.predicate
def has_supervisees(user: Any) -> bool:
    return bool(_profile(user).supervisee_ids)


@rules.predicate
def has_supervisor(user: Any) -> bool:
    return bool(_profile(user).supervisor_ids)


def _responsible_for(user: Any, person_id: int | None) -> bool:
    profile = _profile(user)
    return person_id is not None and (
        person_id in profile.supervisee_ids or person_id in profile.report_ids
    )


@rules.predicate
def is_allocated(user: Any, child: Any) -> bool:
    return child is not None and child.allocated_practitioner_id == user.pk


@rules.predicate
def oversees_allocated(user: Any, child: Any) -> bool:
    return child is not None and _responsible_for(user, child.allocated_practitioner_id)


@rules.predicate
def leads_child_agency(user: Any, child: Any) -> bool:
    return child is not None and child.agency_id in _profile(user).led_agency_ids


can_view_child = is_allocated | oversees_allocated | leads_child_agency


def _current_involvements(child: Any) -> list[Any]:
    """The child's current involvements of the agencies' own (prefetched by
    ``selectors.child_detail`` as ``current_involvements``; else one query)."""
    found = getattr(child, "current_involvements", None)
    if found is None:
        from .models import AgencyInvolvement

        found = list(
            AgencyInvolvement.objects.current().filter(child=child).exclude(case_reference="")
        )
    return list(found)


@rules.predicate
def involved_with_child(user: Any, child: Any) -> bool:
    """Lead of an involved agency, or the involvement's allocated worker, their supervisor or
    line manager, while the involvement lasts."""
    if child is None:
        return False
    profile = _profile(user)
    for involvement in _current_involvements(child):
        if involvement.agency_id in profile.led_agency_ids:
            return True
        worker = involvement.allocated_worker_id
        if worker is not None and (worker == user.pk or _responsible_for(user, worker)):
            return True
    return False


can_view_child_summary = can_view_child | involved_with_child


def plan_agency_id(user: Any, child: Any) -> int | None:
    """The agency whose contribution to the child's plan the person writes (issue 13 item
    4): the holding agency for its own people, else the involved agency they act for."""
    if child is None:
        return None
    if can_view_child(user, child):
        return int(child.agency_id)
    profile = _profile(user)
    for involvement in _current_involvements(child):
        worker = involvement.allocated_worker_id
        if involvement.agency_id in profile.led_agency_ids or (
            worker is not None and (worker == user.pk or _responsible_for(user, worker))
        ):
            return int(involvement.agency_id)
    return None


@rules.predicate
def contributes_to_plan(user: Any, child: Any) -> bool:
    return plan_agency_id(user, child) is not None


def involvement_agency_ids(user: Any) -> set[int]:
    """Agencies whose involvements the person adds and ends: those they lead, and those where
    they hold the supervisor role and a post today."""
    profile = _profile(user)
    supervising = profile.agencies_with_role(Role.SUPERVISOR) & profile.member_agency_ids
    return set(profile.led_agency_ids) | supervising


@rules.predicate
def supervises_or_leads_in_an_agency(user: Any) -> bool:
    return bool(involvement_agency_ids(user))


@rules.predicate
def can_end_involvement(user: Any, involvement: Any) -> bool:
    if involvement is None or involvement.ends_on is not None or not involvement.case_reference:
        return False
    return involvement.agency_id in involvement_agency_ids(user)


@rules.predicate
def can_acknowledge_flag(user: Any, flag: Any) -> bool:
    child = flag.child if flag is not None else None
    return bool(oversees_allocated(user, child) or leads_child_agency(user, child))


@rules.predicate
def can_view_escalation(user: Any, escalation: Any) -> bool:
    if escalation is None:
        return False
    profile = _profile(user)
    return (
        escalation.raised_by_id == user.pk
        or _responsible_for(user, escalation.raised_by_id)
        or escalation.agency_id in profile.led_agency_ids
        or (
            escalation.about_agency_id is not None
            and escalation.about_agency_id in profile.led_agency_ids
        )
    )


@rules.predicate
def can_respond_to_escalation(user: Any, escalation: Any) -> bool:
    return bool(can_view_escalation(user, escalation)) and escalation.raised_by_id != user.pk


def _supervises_today(user: Any, supervisor_id: int | None, supervisee_id: int | None) -> bool:
    """The stored supervisor is this person and they supervise the supervisee today
    (decision 0002: what a relationship opened it closes when it ends)."""
    return supervisor_id == user.pk and supervisee_id in _profile(user).supervisee_ids


@rules.predicate
def can_view_urgent_request(user: Any, request: Any) -> bool:
    return request is not None and (
        request.requested_by_id == user.pk
        or _supervises_today(user, request.supervisor_id, request.requested_by_id)
        or request.agency_id in _profile(user).led_agency_ids
    )


@rules.predicate
def is_request_supervisor(user: Any, request: Any) -> bool:
    return request is not None and _supervises_today(
        user, request.supervisor_id, request.requested_by_id
    )


@rules.predicate
def made_disclosure(user: Any, disclosure: Any) -> bool:
    return disclosure is not None and disclosure.made_by_id == user.pk


@rules.predicate
def leads_disclosure_agency(user: Any, disclosure: Any) -> bool:
    return disclosure is not None and disclosure.agency_id in _profile(user).led_agency_ids


@rules.predicate
def is_disclosure_subject(user: Any, disclosure: Any) -> bool:
    return disclosure is not None and disclosure.supervisee_id == user.pk


@rules.predicate
def can_view_concern(user: Any, concern: Any) -> bool:
    if concern is None:
        return False
    profile = _profile(user)
    return (
        concern.raised_by_id == user.pk
        or _supervises_today(user, concern.supervisor_id, concern.raised_by_id)
        or concern.raised_by_id in profile.report_ids
        or concern.agency_id in profile.led_agency_ids
    )


@rules.predicate
def leads_agency(user: Any, agency: Any) -> bool:
    return agency is not None and agency.pk in _profile(user).led_agency_ids


@rules.predicate
def can_record_concern_meeting(user: Any, concern: Any) -> bool:
    return bool(can_view_concern(user, concern)) and concern.raised_by_id != user.pk


rules.add_perm(Permission.LIST_CHILDREN, rules.is_authenticated & holds_agency_role)
rules.add_perm(Permission.ADD_CHILD, rules.is_authenticated & holds_agency_role)
rules.add_perm(Permission.VIEW_CHILD, rules.is_authenticated & can_view_child)
rules.add_perm(Permission.CHANGE_CHILD, rules.is_authenticated & can_view_child)
rules.add_perm(Permission.VIEW_CHILD_SUMMARY, rules.is_authenticated & can_view_child_summary)
rules.add_perm(Permission.CONTRIBUTE_PLAN, rules.is_authenticated & contributes_to_plan)
rules.add_perm(
    Permission.ADD_INVOLVEMENT, rules.is_authenticated & supervises_or_leads_in_an_agency
)
rules.add_perm(Permission.END_INVOLVEMENT, rules.is_authenticated & can_end_involvement)
rules.add_perm(Permission.VIEW_COUNTS, rules.is_authenticated & is_partnership_viewer)
# The agency is in the URL and the rule is checked against it, so a lead of two agencies sets
# each one's rules on its own page; the page without an agency lets a lead choose.
rules.add_perm(Permission.CHOOSE_SETTINGS_AGENCY, rules.is_authenticated & is_agency_lead)
rules.add_perm(Permission.CHANGE_SETTINGS, rules.is_authenticated & leads_agency)
rules.add_perm(Permission.ACKNOWLEDGE_FLAG, rules.is_authenticated & can_acknowledge_flag)
rules.add_perm(Permission.LIST_ESCALATIONS, rules.is_authenticated & holds_agency_role)
rules.add_perm(Permission.RAISE_ESCALATION, rules.is_authenticated & holds_agency_role)
rules.add_perm(Permission.VIEW_ESCALATION, rules.is_authenticated & can_view_escalation)
rules.add_perm(Permission.RESPOND_ESCALATION, rules.is_authenticated & can_respond_to_escalation)
rules.add_perm(Permission.REQUEST_URGENT, rules.is_authenticated & has_supervisor)
rules.add_perm(Permission.VIEW_URGENT, rules.is_authenticated & can_view_urgent_request)
rules.add_perm(Permission.RESPOND_URGENT, rules.is_authenticated & is_request_supervisor)
rules.add_perm(Permission.RECORD_DISCLOSURE, rules.is_authenticated & has_supervisees)
rules.add_perm(
    Permission.VIEW_DISCLOSURE,
    rules.is_authenticated & (made_disclosure | leads_disclosure_agency | is_disclosure_subject),
)
rules.add_perm(
    Permission.VIEW_DISCLOSURE_DETAIL,
    rules.is_authenticated & (made_disclosure | leads_disclosure_agency),
)
# Issue 10 item 2: whoever waits for the lead's alert may send a failed one again.
rules.add_perm(
    Permission.RESEND_DISCLOSURE_ALERT,
    rules.is_authenticated & (made_disclosure | leads_disclosure_agency),
)
rules.add_perm(Permission.RAISE_CONCERN, rules.is_authenticated & has_supervisor)
rules.add_perm(Permission.VIEW_CONCERN, rules.is_authenticated & can_view_concern)
rules.add_perm(Permission.RECORD_CONCERN, rules.is_authenticated & can_record_concern_meeting)
rules.add_perm(Permission.LIST_AGENCY_CONCERNS, rules.is_authenticated & leads_agency)
