"""Who may see and do what with sessions and records (issue 3; seed 001 "Recording":
records are confidential; seed 003 confidentiality).

- a 1:1 record: its supervisee, and its supervisor while they supervise the supervisee today
  (or, after the relationship ended, only to finish and sign the record of a session held
  while it lasted, until both have signed); the supervisee's current line manager and the
  lead of the session's agency (a lead with a post there today) see it WITHOUT the wellbeing
  section, which is for the two parties only. A new supervisor after a handover sees their
  own sessions with the supervisee, not the old pair's (decision 0002 "Access follows
  relationships in time");
- a group record: the facilitator and the attendees, except those marked "did not attend"
  (issue 9 item 7: the group counts, and is read, only by those who came); the session
  itself stays visible to everyone invited;
- the partnership auditor and the administrator: never (the auditor sees sampled records
  through the assurance app);
- only the supervisor records, and a former supervisor cannot record a session on a day
  after their supervision of the supervisee ended (issue 9 item 6); each party signs only
  for themselves;
- management oversight: the person who made it, the child's allocated practitioner, that
  practitioner's supervisor and line manager, and the lead of the child's agency; only the
  person who made it adds and checks its actions (issue 15 item 1);
- authorising a decision (issue 15 item 2; seed 004 "Line management"): the decision-maker's
  line manager in the decision's agency, or that agency's lead; never the decision-maker,
  never another agency. The agency's lead chooses which kinds need it;
- shortfalls (issue 15 item 3): reported by a supervisor or line manager; seen by whoever
  reported it, the agency's senior managers and its lead; answered by a senior manager of
  the agency other than the reporter. Practitioners, other agencies, the partnership auditor
  and the administrator never see them (the dashboard counts them).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import rules
from django.utils import timezone

from oversight.people.models import SupervisionRelationship
from oversight.people.selectors import access_profile

from . import selectors
from .models import (
    Action,
    ActionStatus,
    AuthorisationStatus,
    RecordStatus,
    ServiceShortfall,
    Session,
    SessionAttendance,
    SessionRecord,
    SessionStatus,
    SuperviseeDraft,
)
from .services.drafts import supervisee_may_draft


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    LIST_SESSIONS = "supervision.list_sessions"
    LIST_RECORDS_TO_SIGN = "supervision.list_records_to_sign"
    LIST_ACTIONS = "supervision.list_actions"
    ACT_AS_SUPERVISOR = "supervision.act_as_supervisor"
    PLAN_NEXT_SESSION = "supervision.plan_next_session"
    PLAN_SESSION = "supervision.plan_session"
    VIEW_SESSION = "supervision.view_session"
    CHANGE_SESSION = "supervision.change_session"
    MARK_DID_NOT_ATTEND = "supervision.mark_did_not_attend"
    PREPARE_SESSION = "supervision.prepare_session"
    DOWNLOAD_ICS = "supervision.download_ics"
    VIEW_RECORD = "supervision.view_record"
    VIEW_WELLBEING = "supervision.view_wellbeing"
    SAVE_RECORD = "supervision.save_record"
    SIGN_AS_SUPERVISOR = "supervision.sign_as_supervisor"
    SIGN_AS_SUPERVISEE = "supervision.sign_as_supervisee"
    ADD_ADDENDUM = "supervision.add_addendum"
    DOWNLOAD_RECORD_PDF = "supervision.download_record_pdf"
    MANAGE_CALENDAR = "supervision.manage_calendar"
    VIEW_CALENDAR_FEED = "supervision.view_calendar_feed"
    LIST_MANAGEMENT_OVERSIGHT = "supervision.list_management_oversight"
    RECORD_MANAGEMENT_OVERSIGHT = "supervision.record_management_oversight"
    VIEW_MANAGEMENT_OVERSIGHT = "supervision.view_management_oversight"
    CONFIRM_DECISION_ON_FILE = "supervision.confirm_decision_on_file"
    CHANGE_REFLECTION_SETTINGS = "supervision.change_reflection_settings"
    VIEW_AGENCY_REFLECTION = "supervision.view_agency_reflection"
    VIEW_RELATIONSHIP_BALANCE = "supervision.view_relationship_balance"
    EXPORT_OWN_EVIDENCE = "supervision.export_own_evidence"
    CHANGE_AGENDA_ITEM = "supervision.change_agenda_item"
    ADD_OVERSIGHT_ACTION = "supervision.add_oversight_action"
    CHECK_OVERSIGHT_ACTION = "supervision.check_oversight_action"
    AUTHORISE_DECISION = "supervision.authorise_decision"
    CONFIGURE_DECISION_AUTHORISATION = "supervision.configure_decision_authorisation"
    LIST_SHORTFALLS = "supervision.list_shortfalls"
    RAISE_SHORTFALL = "supervision.raise_shortfall"
    VIEW_SHORTFALL = "supervision.view_shortfall"
    ANSWER_SHORTFALL = "supervision.answer_shortfall"
    # Issue 15 item 7: who writes the record.
    DRAFT_RECORD = "supervision.draft_record"
    VIEW_SUPERVISEE_DRAFT = "supervision.view_supervisee_draft"
    TAKE_IN_SUPERVISEE_DRAFT = "supervision.take_in_supervisee_draft"


def _session(obj: Any) -> Session | None:
    if obj is None:
        return None
    if isinstance(obj, Session):
        return obj
    if isinstance(obj, SessionRecord):
        return obj.session
    return getattr(obj, "session", None)


def _attendance(session: Session) -> dict[int, bool | None]:
    """Who was invited, and whether they came (None until the facilitator records it); from
    the attendances ``selectors.session_detail`` prefetched, when it did (issue 17 item 1)."""
    cached = getattr(session, "_attendance", None)
    if cached is None:
        if "attendances" in getattr(session, "_prefetched_objects_cache", {}):
            cached = {a.person_id: a.attended for a in session.attendances.all()}
        else:
            cached = dict(session.attendances.values_list("person_id", "attended"))
        session._attendance = cached  # type: ignore[attr-defined]
    return cached


def _attendee_ids(session: Session) -> set[int]:
    return set(_attendance(session))


@rules.predicate
def added_the_item(user: Any, obj: Any) -> bool:
    """The viewer added this agenda item."""
    return getattr(obj, "added_by_id", None) == user.pk


@rules.predicate
def is_supervisor(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and session.supervisor_id == user.pk


@rules.predicate
def supervises_supervisee_now(user: Any, obj: Any) -> bool:
    """The viewer supervises the session's supervisee today (whoever held the session)."""
    session = _session(obj)
    return (
        session is not None
        and session.supervisee_id is not None
        and session.supervisee_id in access_profile(user).supervisee_ids
    )


@rules.predicate
def is_group_session(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and session.is_group


@rules.predicate
def is_supervisee(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return (
        session is not None
        and session.supervisee_id is not None
        and session.supervisee_id == user.pk
    )


@rules.predicate
def is_attendee(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and user.pk in _attendee_ids(session)


@rules.predicate
def came_to_session(user: Any, obj: Any) -> bool:
    """Invited and not marked "did not attend": before attendance is recorded everyone
    invited may prepare and read; afterwards only those who came read the record."""
    session = _session(obj)
    return session is not None and _attendance(session).get(user.pk, False) is not False


@rules.predicate
def line_manages_supervisee(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return (
        session is not None
        and session.supervisee_id is not None
        and session.supervisee_id in access_profile(user).report_ids
    )


@rules.predicate
def leads_session_agency(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and session.agency_id in access_profile(user).led_agency_ids


@rules.predicate
def has_supervisee(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and session.supervisee_id is not None


@rules.predicate
def record_is_draft(user: Any, record: Any) -> bool:
    return record is not None and record.status == RecordStatus.DRAFT


@rules.predicate
def record_awaiting_supervisee(user: Any, record: Any) -> bool:
    return record is not None and record.status == RecordStatus.AWAITING_SUPERVISEE


@rules.predicate
def record_locked(user: Any, record: Any) -> bool:
    return record is not None and record.status == RecordStatus.SIGNED


@rules.predicate
def session_is_planned(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and session.status == SessionStatus.PLANNED


@rules.predicate
def session_can_be_recorded(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and session.status in (SessionStatus.PLANNED, SessionStatus.HELD)


@rules.predicate
def supervision_ended_before_session(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and session.supervision_ended_before() is not None


def _record_of(session: Session) -> SessionRecord | None:
    try:
        return session.record
    except SessionRecord.DoesNotExist:
        return None


@rules.predicate
def record_unlocked(user: Any, obj: Any) -> bool:
    """No record yet, or one not signed by both."""
    session = _session(obj)
    if session is None:
        return False
    record = obj if isinstance(obj, SessionRecord) else _record_of(session)
    return record is None or record.status != RecordStatus.SIGNED


@rules.predicate
def gives_supervision(user: Any) -> bool:
    profile = access_profile(user)
    return bool(profile.supervisee_ids) or profile.has_role("supervisor")


@rules.predicate
def oversees_children(user: Any) -> bool:
    profile = access_profile(user)
    return bool(profile.supervisee_ids or profile.report_ids or profile.led_agency_ids)


@rules.predicate
def works_in_an_agency(user: Any) -> bool:
    return bool(access_profile(user).member_agency_ids)


def _child_practitioner_id(obj: Any) -> int | None:
    child = getattr(obj, "child", None)
    return getattr(child, "allocated_practitioner_id", None)


@rules.predicate
def made_the_oversight(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "made_by_id", None) == user.pk


@rules.predicate
def made_the_decision(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "decided_by_id", None) == user.pk


@rules.predicate
def allocated_to_child(user: Any, obj: Any) -> bool:
    return obj is not None and _child_practitioner_id(obj) == user.pk


@rules.predicate
def oversees_allocated_practitioner(user: Any, obj: Any) -> bool:
    practitioner = _child_practitioner_id(obj)
    profile = access_profile(user)
    return practitioner is not None and (
        practitioner in profile.supervisee_ids or practitioner in profile.report_ids
    )


@rules.predicate
def leads_child_agency(user: Any, obj: Any) -> bool:
    child = getattr(obj, "child", None)
    return child is not None and child.agency_id in access_profile(user).led_agency_ids


@rules.predicate
def always(user: Any, obj: Any = None) -> bool:
    """The calendar feed is opened by its secret token (checked in the view: a missing or
    wrong token is 404), because calendar programs cannot sign in."""
    return True


@rules.predicate
def leads_the_agency(user: Any, agency: Any) -> bool:
    return agency is not None and agency.pk in access_profile(user).led_agency_ids


@rules.predicate
def is_partnership_auditor(user: Any, obj: Any = None) -> bool:
    return access_profile(user).is_partnership_auditor


@rules.predicate
def in_the_relationship(user: Any, relationship: Any) -> bool:
    return relationship is not None and user.pk in (
        relationship.supervisor_id,
        relationship.supervisee_id,
    )


@rules.predicate
def leads_relationship_agency(user: Any, relationship: Any) -> bool:
    return (
        relationship is not None and relationship.agency_id in access_profile(user).led_agency_ids
    )


@rules.predicate
def has_been_supervised(user: Any) -> bool:
    """Someone supervised at any time, or who came to a group or three-way meeting: they
    have a supervision history of their own to export (issue 15 item 17)."""
    cached = access_profile(user).extra.get("has_been_supervised")
    if cached is None:
        cached = (
            SupervisionRelationship.objects.live().filter(supervisee_id=user.pk).exists()
            or SessionAttendance.objects.filter(person_id=user.pk, attended=True).exists()
        )
        access_profile(user).extra["has_been_supervised"] = cached
    return bool(cached)


# Access follows relationships in time (decision 0002): the supervisor of a 1:1 acts as its
# supervisor only while they supervise the supervisee today; a group's facilitator has no
# relationship with the attendees and stays its supervisor. A former supervisor keeps only
# what issue 9 item 6 leaves them: finishing and signing the record of a session held while
# the relationship lasted, until both have signed (seed 001 "Recording").
supervises_now = is_supervisor & (is_group_session | supervises_supervisee_now)
finishing_own_record = is_supervisor & record_unlocked & ~supervision_ended_before_session
acting_supervisor = supervises_now | finishing_own_record
participant = acting_supervisor | is_supervisee | is_attendee
# A group record is for the facilitator and those who came only.
record_participant = acting_supervisor | is_supervisee | (is_attendee & came_to_session)
overseer = line_manages_supervisee | (has_supervisee & leads_session_agency)
session_reader = participant | overseer
record_reader = record_participant | overseer
wellbeing_reader = acting_supervisor | is_supervisee
oversight_reader = (
    made_the_oversight | allocated_to_child | oversees_allocated_practitioner | leads_child_agency
)

rules.add_perm(Permission.LIST_SESSIONS, rules.is_authenticated & works_in_an_agency)
# Each shows only the person's own records and actions (issue 12 item 1: the home page's detail).
rules.add_perm(Permission.LIST_RECORDS_TO_SIGN, rules.is_authenticated & works_in_an_agency)
rules.add_perm(Permission.LIST_ACTIONS, rules.is_authenticated & works_in_an_agency)
# The viewer acts as the session's supervisor: it is theirs to run, record and sign.
rules.add_perm(Permission.ACT_AS_SUPERVISOR, rules.is_authenticated & acting_supervisor)
# After a 1:1 record is signed, its supervisor plans the next session from it.
rules.add_perm(
    Permission.PLAN_NEXT_SESSION,
    rules.is_authenticated & supervises_now & ~is_group_session & record_locked,
)
rules.add_perm(Permission.PLAN_SESSION, rules.is_authenticated & gives_supervision)
rules.add_perm(Permission.VIEW_SESSION, rules.is_authenticated & session_reader)
rules.add_perm(Permission.CHANGE_SESSION, rules.is_authenticated & participant & session_is_planned)
rules.add_perm(
    Permission.MARK_DID_NOT_ATTEND,
    rules.is_authenticated & acting_supervisor & session_is_planned,
)
rules.add_perm(
    Permission.PREPARE_SESSION, rules.is_authenticated & participant & session_is_planned
)
# Issue 12 item 4: whoever added an agenda item changes or removes it while the session is
# planned (seed 004 "preparing for the Supervision session").
rules.add_perm(
    Permission.CHANGE_AGENDA_ITEM,
    rules.is_authenticated & added_the_item & participant & session_is_planned,
)
rules.add_perm(Permission.DOWNLOAD_ICS, rules.is_authenticated & participant)
rules.add_perm(Permission.VIEW_RECORD, rules.is_authenticated & record_reader)
rules.add_perm(Permission.VIEW_WELLBEING, rules.is_authenticated & wellbeing_reader)
rules.add_perm(
    Permission.SAVE_RECORD,
    rules.is_authenticated
    & is_supervisor
    & session_can_be_recorded
    & record_unlocked
    & ~supervision_ended_before_session,
)
rules.add_perm(
    Permission.SIGN_AS_SUPERVISOR,
    rules.is_authenticated & acting_supervisor & record_is_draft,
)
rules.add_perm(
    Permission.SIGN_AS_SUPERVISEE,
    rules.is_authenticated & is_supervisee & record_awaiting_supervisee,
)
rules.add_perm(
    Permission.ADD_ADDENDUM,
    rules.is_authenticated & (supervises_now | is_supervisee) & record_locked,
)
rules.add_perm(Permission.DOWNLOAD_RECORD_PDF, rules.is_authenticated & record_participant)
rules.add_perm(Permission.MANAGE_CALENDAR, rules.is_authenticated & works_in_an_agency)
rules.add_perm(Permission.VIEW_CALENDAR_FEED, always)
rules.add_perm(Permission.LIST_MANAGEMENT_OVERSIGHT, rules.is_authenticated & works_in_an_agency)
rules.add_perm(Permission.RECORD_MANAGEMENT_OVERSIGHT, rules.is_authenticated & oversees_children)
rules.add_perm(Permission.VIEW_MANAGEMENT_OVERSIGHT, rules.is_authenticated & oversight_reader)
rules.add_perm(
    Permission.CONFIRM_DECISION_ON_FILE,
    rules.is_authenticated
    & (allocated_to_child | made_the_decision | oversees_allocated_practitioner),
)

# Seed 004 Appendix II (issue 15 item 11): the lead chooses the agency's reflective tool; the
# lead sees which stages the agency's discussions covered and how cases progressed (item 16),
# as does the partnership auditor (aggregates only, counts under five withheld).
rules.add_perm(Permission.CHANGE_REFLECTION_SETTINGS, rules.is_authenticated & leads_the_agency)
rules.add_perm(
    Permission.VIEW_AGENCY_REFLECTION,
    rules.is_authenticated & (leads_the_agency | is_partnership_auditor),
)
# Seed 001 4x4x4 (issue 15 item 12): the pair and the lead see the balance over the
# supervisee's records; no one else, not even the line manager (records' 4x4x4 ticks are
# part of the supervision record, which is the pair's and the lead's).
rules.add_perm(
    Permission.VIEW_RELATIONSHIP_BALANCE,
    rules.is_authenticated & (in_the_relationship | leads_relationship_agency),
)
# Issue 15 item 17: only the practitioner makes their own evidence; the page has no person
# in it, so a supervisor, lead or auditor can only ever export their own.
rules.add_perm(Permission.EXPORT_OWN_EVIDENCE, rules.is_authenticated & has_been_supervised)


@rules.predicate
def checks_oversight_action(user: Any, action: Any) -> bool:
    """The action came from an oversight record the viewer made, and is still open."""
    if not isinstance(action, Action) or action.status != ActionStatus.OPEN:
        return False
    oversight = action.origin_oversight
    return oversight is not None and oversight.made_by_id == user.pk


@rules.predicate
def authorises_decision(user: Any, decision: Any) -> bool:
    return (
        decision is not None
        and decision.authorisation == AuthorisationStatus.AWAITING
        and selectors.may_authorise(user, decision)
    )


@rules.predicate
def reports_shortfalls(user: Any) -> bool:
    return bool(selectors.shortfall_agency_ids_for(user))


@rules.predicate
def hears_of_shortfalls(user: Any) -> bool:
    profile = access_profile(user)
    return bool(profile.senior_managed_agency_ids or profile.led_agency_ids)


@rules.predicate
def reported_shortfall(user: Any, shortfall: Any) -> bool:
    return isinstance(shortfall, ServiceShortfall) and shortfall.raised_by_id == user.pk


@rules.predicate
def senior_manager_of_shortfall_agency(user: Any, shortfall: Any) -> bool:
    return (
        isinstance(shortfall, ServiceShortfall)
        and shortfall.agency_id in access_profile(user).senior_managed_agency_ids
    )


@rules.predicate
def leads_shortfall_agency(user: Any, shortfall: Any) -> bool:
    return (
        isinstance(shortfall, ServiceShortfall)
        and shortfall.agency_id in access_profile(user).led_agency_ids
    )


@rules.predicate
def shortfall_unanswered(user: Any, shortfall: Any) -> bool:
    return isinstance(shortfall, ServiceShortfall) and shortfall.answered_at is None


rules.add_perm(Permission.ADD_OVERSIGHT_ACTION, rules.is_authenticated & made_the_oversight)
rules.add_perm(Permission.CHECK_OVERSIGHT_ACTION, rules.is_authenticated & checks_oversight_action)
rules.add_perm(Permission.AUTHORISE_DECISION, rules.is_authenticated & authorises_decision)
rules.add_perm(
    Permission.CONFIGURE_DECISION_AUTHORISATION, rules.is_authenticated & leads_the_agency
)
rules.add_perm(
    Permission.LIST_SHORTFALLS,
    rules.is_authenticated & (reports_shortfalls | hears_of_shortfalls),
)
rules.add_perm(Permission.RAISE_SHORTFALL, rules.is_authenticated & reports_shortfalls)
rules.add_perm(
    Permission.VIEW_SHORTFALL,
    rules.is_authenticated
    & (reported_shortfall | senior_manager_of_shortfall_agency | leads_shortfall_agency),
)
rules.add_perm(
    Permission.ANSWER_SHORTFALL,
    rules.is_authenticated
    & senior_manager_of_shortfall_agency
    & ~reported_shortfall
    & shortfall_unanswered,
)


def mark_viewer_roles(sessions: Iterable[Session | None], user: Any) -> None:
    """Set on each session whether the viewer is its supervisor and whether its supervisee,
    as the rules answer, so a page names the other party without comparing ids itself."""
    for session in sessions:
        if session is None:
            continue
        vars(session).update(
            viewer_is_supervisor=bool(is_supervisor(user, session)),
            viewer_is_supervisee=bool(is_supervisee(user, session)),
        )


# --- Who writes the record (issue 15 item 7; seed 001 "Recording") ---------------------------


def _draft_of(session: Session) -> SuperviseeDraft | None:
    """The session's live draft: the one ``selectors.session_detail`` joined, else read."""
    if not hasattr(session, "_supervisee_draft"):
        joined = Session.supervisee_draft
        found: SuperviseeDraft | None = None
        if joined.is_cached(session):
            draft = joined.related.get_cached_value(session)
            if isinstance(draft, SuperviseeDraft) and draft.archived_at is None:
                found = draft
        else:
            found = SuperviseeDraft.objects.live().filter(session_id=session.pk).first()
        session._supervisee_draft = found  # type: ignore[attr-defined]
    return session._supervisee_draft  # type: ignore[attr-defined]


@rules.predicate
def agency_lets_supervisee_draft(user: Any, obj: Any) -> bool:
    """The agency's policy for the supervisee's staff group lets them draft the record."""
    session = _session(obj)
    return session is not None and supervisee_may_draft(session)


@rules.predicate
def session_has_started(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and timezone.localdate(session.planned_start) <= timezone.localdate()


@rules.predicate
def record_not_signed_by_anyone(user: Any, obj: Any) -> bool:
    session = _session(obj)
    record = _record_of(session) if session is not None else None
    return session is not None and (record is None or record.status == RecordStatus.DRAFT)


@rules.predicate
def draft_not_handed_over(user: Any, obj: Any) -> bool:
    session = _session(obj)
    draft = _draft_of(session) if session is not None else None
    return session is not None and (draft is None or not draft.is_handed_over)


@rules.predicate
def draft_handed_over(user: Any, obj: Any) -> bool:
    session = _session(obj)
    draft = _draft_of(session) if session is not None else None
    return draft is not None and draft.is_handed_over


@rules.predicate
def draft_exists(user: Any, obj: Any) -> bool:
    session = _session(obj)
    return session is not None and _draft_of(session) is not None


@rules.predicate
def draft_not_taken_in(user: Any, obj: Any) -> bool:
    session = _session(obj)
    draft = _draft_of(session) if session is not None else None
    return draft is not None and not draft.is_taken_in


# The supervisee drafts a 1:1's record only where the agency's policy allows it, until they
# hand it over or the supervisor signs; the supervisor reads it once handed over and copies it
# into the record they complete and sign.
rules.add_perm(
    Permission.DRAFT_RECORD,
    rules.is_authenticated
    & is_supervisee
    & ~is_group_session
    & session_can_be_recorded
    & session_has_started
    & record_not_signed_by_anyone
    & draft_not_handed_over
    & agency_lets_supervisee_draft,
)
rules.add_perm(
    Permission.VIEW_SUPERVISEE_DRAFT,
    rules.is_authenticated
    & ((is_supervisee & draft_exists) | (acting_supervisor & draft_handed_over)),
)
rules.add_perm(
    Permission.TAKE_IN_SUPERVISEE_DRAFT,
    rules.is_authenticated
    & is_supervisor
    & ~supervision_ended_before_session
    & session_can_be_recorded
    & record_not_signed_by_anyone
    & draft_handed_over
    & draft_not_taken_in,
)
