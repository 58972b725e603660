"""Signed means fixed (issue 10 item 4; seed 001 "Recording": a signed record is never
changed, only added to). When a record is fully signed its content is stored as a canonical
JSON snapshot with its SHA-256 (``SignedContent``); the signed page and PDF render from that
snapshot, so renaming a child or a person afterwards, or a direct ``UPDATE`` on the record,
does not change what was signed. ``signed_record_check`` (``manage.py verify_integrity``)
compares each snapshot with its hash and with the rows it came from, and each addendum with
its own hash."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from oversight.core.integrity import BrokenLink
from oversight.core.models import chain_hash

from .models import WELLBEING_FIELDS, Addendum, SessionRecord, SignedContent, stages_summary
from .prompts import ReflectiveTool, tool_for

# What may change after signing without changing what was signed: people and children are
# renamed and given new case references, and an action carried forward gets a new due date
# at a later session. Everything else in the snapshot is the record's own and must still
# match the rows it came from.
MAY_CHANGE_AFTER_SIGNING = frozenset(
    {
        "agency_name",
        "supervisor_name",
        "supervisee_name",
        "person_name",
        "child_name",
        "case_reference",
        "owner_name",
        "supervisor_signed_by_name",
        "supervisee_signed_by_name",
        "due_on",
    }
)
# Fields added to the record after some records were signed (issue 15 items 14 and 15). A
# snapshot from before has no such key; the row then still holds the empty default, and only
# a value written since (which signing would have captured) differs from what was signed.
ADDED_AFTER_SIGNING_BEGAN = frozenset(
    {
        "learning_review",
        "specialist_referral",
        "specialist_referral_detail",
        "review_themes",
        "started_at",
        "ended_at",
        "review_protected_time",
        "review_helpful",
        "review_improve",
        # Issue 15 items 11 and 12: the reflective tool, Gibbs' own stages, stakeholders.
        "reflective_tool",
        "feelings",
        "evaluation",
        "conclusion",
        "stakeholders",
    }
)
# An added field whose default is not empty: a row from before holds this value.
ADDED_DEFAULTS = {"reflective_tool": ReflectiveTool.ADAPTED}


def _is_default(key: str, live: dict[str, Any]) -> bool:
    value = live.get(key)
    return not value or value == ADDED_DEFAULTS.get(key)


TIME_KEYS = frozenset({"started_at", "ended_at"})
DATE_KEYS = frozenset({"held_on", "last_session_on", "next_session_on", "due_on", "new_due_on"})
DATETIME_KEYS = frozenset({"supervisor_signed_at", "supervisee_signed_at"})
# Which model each list in the snapshot holds, to name the row that differs.
ROW_MODELS = {
    "attendances": "supervision.sessionattendance",
    "follow_ups": "supervision.actionfollowup",
    "discussions": "supervision.casediscussion",
    "decisions": "supervision.decision",
    "actions": "supervision.action",
}
DISCUSSION_TEXT = (
    "identified_needs",
    "risks",
    "family_engagement",
    "plan_and_contributions",
    "plan_amendment",
    "refusal_action",
    "experience",
    "reflection",
    "analysis",
    "action_planning",
)

# Stages only Gibbs' cycle has (seed 004 Appendix II Example 1; issue 15 item 11).
GIBBS_ONLY_TEXT = ("feelings", "evaluation", "conclusion")


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: dt.time | None) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _name(person: Any) -> str:
    return person.display_name if person is not None else ""


def rows(owner: Any, name: str) -> list[Any]:
    """A related list: the plain list ``records_unsealed`` prefetched (``<name>_rows``) when
    sealing in bulk, otherwise the related manager's (prefetched by ``record_for``)."""
    listed = owner.__dict__.get(f"{name}_rows")
    return listed if listed is not None else list(getattr(owner, name).all())


def record_content(record: SessionRecord) -> dict[str, Any]:
    """Everything the signed page and PDF show, as plain JSON. ``record`` is loaded with
    ``selectors.record_for(with_wellbeing=True)``."""
    session = record.session
    return {
        "record": record.pk,
        "session": session.pk,
        "agency_name": session.agency.name,
        "session_type": session.get_session_type_display(),
        "title": session.title,
        "learning_review": session.learning_review,
        "held_on": _day(session.held_on),
        "supervisor_name": _name(session.supervisor),
        "supervisee_name": _name(session.supervisee),
        "attendances": [
            {"id": a.pk, "person_name": _name(a.person), "attended": a.attended}
            for a in sorted(rows(session, "attendances"), key=lambda a: a.pk)
        ],
        "last_session_on": _day(record.last_session_on),
        "agenda_notes": record.agenda_notes,
        "learning_development": record.learning_development,
        "next_session_on": _day(record.next_session_on),
        # Issue 15 item 8: when the session actually started and ended.
        "started_at": _time(record.started_at),
        "ended_at": _time(record.ended_at),
        "functions_served": record.get_functions_served_display(),
        "key_elements": record.get_key_elements_display(),
        **{name: getattr(record, name) or "" for name in WELLBEING_FIELDS},
        "follow_ups": [
            {
                "id": f.pk,
                "action": f.action_id,
                "description": f.action.description,
                "owner_name": _name(f.action.owner),
                "outcome": f.outcome,
                "outcome_label": f.get_outcome_display(),
                "note": f.note,
                "new_due_on": _day(f.new_due_on),
            }
            for f in sorted(rows(record, "action_follow_ups"), key=lambda f: f.pk)
        ],
        "discussions": [
            {
                "id": d.pk,
                "child": d.child_id,
                "child_name": d.child.display_name,
                "case_reference": d.child.case_reference,
                "rag_rating": d.rag_rating,
                "rag_label": d.get_rag_rating_display(),
                **{name: getattr(d, name) for name in DISCUSSION_TEXT},
                # Issue 15 items 14 and 15: the referral and the review themes are signed.
                "specialist_referral": d.specialist_referral,
                "specialist_referral_detail": d.specialist_referral_detail,
                "review_themes": d.get_review_themes_display(),
                # Issue 15 items 11 and 12: the tool, Gibbs' stages and the stakeholders.
                "reflective_tool": d.reflective_tool,
                **{name: getattr(d, name) for name in GIBBS_ONLY_TEXT},
                "stakeholders": d.get_stakeholders_display(),
                "decisions": [
                    {
                        "id": decision.pk,
                        "decision": decision.decision,
                        "rationale": decision.rationale,
                        "variation_from_procedure": decision.variation_from_procedure,
                        "immediate_concern": decision.immediate_concern,
                    }
                    for decision in sorted(rows(d, "decisions"), key=lambda x: x.pk)
                ],
            }
            for d in sorted(rows(record, "case_discussions"), key=lambda d: d.pk)
        ],
        "actions": [
            {
                "id": a.pk,
                "description": a.description,
                "owner_name": _name(a.owner),
                "due_on": _day(a.due_on),
                "child_name": a.child.display_name if a.child is not None else "",
            }
            for a in sorted(rows(record, "actions"), key=lambda a: a.pk)
        ],
        "supervisor_signed_by_name": _name(record.supervisor_signed_by),
        "supervisor_signed_at": _moment(record.supervisor_signed_at),
        "supervisee_signed_by_name": _name(record.supervisee_signed_by),
        "supervisee_signed_at": _moment(record.supervisee_signed_at),
        "supervisee_comment": record.supervisee_comment,
        # Issue 15 item 10: the supervisee's review of supervision itself, given at signing.
        "review_protected_time": record.get_review_protected_time_display(),
        "review_helpful": record.get_review_helpful_display(),
        "review_improve": record.review_improve,
    }


def content_hash(content: dict[str, Any]) -> str:
    return chain_hash(content)


def addendum_hash(addendum: Addendum) -> str:
    return chain_hash(
        {
            "record": addendum.record_id,
            "author": addendum.author_id,
            "created_at": _moment(addendum.created_at),
            "reason": addendum.reason,
            "text": addendum.text,
        }
    )


def signed_content_build(record: SessionRecord) -> SignedContent:
    """The unsaved snapshot of a fully signed record (the signing service saves it)."""
    content = record_content(record)
    return SignedContent(record=record, content=content, content_hash=content_hash(content))


# Reading a snapshot back for the page and the PDF.


class Rows(list):
    """A list the templates can read as they read a related manager (``.all``)."""

    def all(self) -> Rows:
        return self


class Signed:
    """Attributes from the signed snapshot; anything it does not hold (ids for links, an
    action's status today, a decision's place on the child's file) from the live row."""

    def __init__(self, data: dict[str, Any], live: Any = None) -> None:
        self.__dict__.update(data)
        self._live = live

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or self._live is None:
            raise AttributeError(name)
        return getattr(self._live, name)


def _dates(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key in DATE_KEYS & out.keys():
        out[key] = dt.date.fromisoformat(out[key]) if out[key] else None
    for key in TIME_KEYS & out.keys():
        out[key] = dt.time.fromisoformat(out[key]) if out[key] else None
    for key in DATETIME_KEYS & out.keys():
        out[key] = dt.datetime.fromisoformat(out[key]) if out[key] else None
    return out


def _person(name: str) -> Signed | None:
    return Signed({"display_name": name}) if name else None


def signed_views(
    record: SessionRecord, content: dict[str, Any], *, wellbeing: bool
) -> tuple[Signed, Signed]:
    """The record and its session as signed, for ``record.html`` and ``record_pdf.html``."""
    c = _dates(content)
    session = record.session
    decisions = {x.pk: x for d in record.case_discussions.all() for x in d.decisions.all()}
    actions = {a.pk: a for a in record.actions.all()}
    session_view = Signed(
        {
            "agency": Signed({"name": c["agency_name"]}),
            "get_session_type_display": c["session_type"],
            "title": c["title"],
            # Records signed before the field existed have no key (their hash stays valid).
            "learning_review": c.get("learning_review", ""),
            "held_on": c["held_on"],
            "supervisor": _person(c["supervisor_name"]),
            "supervisee": _person(c["supervisee_name"]),
            "attendances": Rows(
                Signed({"person": _person(a["person_name"]), "attended": a["attended"]})
                for a in c["attendances"]
            ),
        },
        live=session,
    )
    record_view = Signed(
        {
            "session": session_view,
            "last_session_on": c["last_session_on"],
            "agenda_notes": c["agenda_notes"],
            "learning_development": c["learning_development"],
            "next_session_on": c["next_session_on"],
            "started_at": c.get("started_at"),
            "ended_at": c.get("ended_at"),
            "get_functions_served_display": c["functions_served"],
            "get_key_elements_display": c["key_elements"],
            **{name: (c[name] if wellbeing else "") for name in WELLBEING_FIELDS},
            "action_follow_ups": Rows(_follow_up(f) for f in c["follow_ups"]),
            "case_discussions": Rows(_discussion(d, decisions) for d in c["discussions"]),
            "actions": Rows(_action(a, actions.get(a["id"])) for a in c["actions"]),
            "supervisor_signed_by": _person(c["supervisor_signed_by_name"]),
            "supervisor_signed_at": c["supervisor_signed_at"],
            "supervisee_signed_by": _person(c["supervisee_signed_by_name"]),
            "supervisee_signed_at": c["supervisee_signed_at"],
            "supervisee_comment": c["supervisee_comment"],
            "get_review_protected_time_display": c.get("review_protected_time", ""),
            "get_review_helpful_display": c.get("review_helpful", ""),
            "review_improve": c.get("review_improve", ""),
        },
        live=record,
    )
    return record_view, session_view


def as_signed(record: SessionRecord, *, wellbeing: bool) -> tuple[Any, Any]:
    """The record and session to show: as signed once sealed, else the live draft."""
    sealed = getattr(record, "signed_content", None)
    if sealed is None:
        return record, record.session
    return signed_views(record, sealed.content, wellbeing=wellbeing)


def _follow_up(f: dict[str, Any]) -> Signed:
    f = _dates(f)
    return Signed(
        {
            "action": Signed({"description": f["description"], "owner": _person(f["owner_name"])}),
            "outcome": f["outcome"],
            "get_outcome_display": f["outcome_label"],
            "note": f["note"],
            "new_due_on": f["new_due_on"],
        }
    )


def _covered(d: dict[str, Any]) -> list[tuple[str, bool]]:
    return [
        (stage.title, bool((d.get(stage.field) or "").strip()))
        for stage in tool_for(d.get("reflective_tool")).stages
    ]


def _discussion(d: dict[str, Any], decisions: dict[int, Any]) -> Signed:
    return Signed(
        {
            "pk": d["id"],
            "child": Signed(
                {"display_name": d["child_name"], "case_reference": d["case_reference"]}
            ),
            "rag_rating": d["rag_rating"],
            "get_rag_rating_display": d["rag_label"],
            **{name: d[name] for name in DISCUSSION_TEXT},
            "specialist_referral": d.get("specialist_referral", False),
            "specialist_referral_detail": d.get("specialist_referral_detail", ""),
            "get_review_themes_display": d.get("review_themes", []),
            "reflective_tool": d.get("reflective_tool", ReflectiveTool.ADAPTED),
            **{name: d.get(name, "") for name in GIBBS_ONLY_TEXT},
            "get_stakeholders_display": d.get("stakeholders", []),
            "stages_covered": _covered(d),
            "stages_summary": stages_summary(_covered(d)),
            "stage_texts": [
                (stage.title, d.get(stage.field) or "")
                for stage in tool_for(d.get("reflective_tool")).stages
            ],
            "tool": tool_for(d.get("reflective_tool")),
            "decisions": Rows(
                Signed({key: x[key] for key in x if key != "id"}, live=decisions.get(x["id"]))
                for x in d["decisions"]
            ),
        }
    )


def _action(a: dict[str, Any], live: Any) -> Signed:
    a = _dates(a)
    return Signed(
        {
            "description": a["description"],
            "owner": _person(a["owner_name"]),
            "due_on": a["due_on"],
            "child": _person(a["child_name"]),
        },
        live=live,
    )


# The check behind manage.py verify_integrity.


def _differences(signed: Any, live: Any, model: str, row: object) -> Iterator[BrokenLink]:
    if isinstance(signed, dict) and isinstance(live, dict):
        for key in sorted(signed.keys() | live.keys()):
            if key in MAY_CHANGE_AFTER_SIGNING:
                continue
            if key in ADDED_AFTER_SIGNING_BEGAN and key not in signed and _is_default(key, live):
                continue
            if key in ROW_MODELS:
                yield from _row_differences(signed.get(key) or [], live.get(key) or [], key)
            elif signed.get(key) != live.get(key):
                yield BrokenLink(model, row, f"{key} differs from what was signed")
    elif signed != live:
        yield BrokenLink(model, row, "differs from what was signed")


def _row_differences(
    signed: Iterable[dict[str, Any]], live: Iterable[dict[str, Any]], key: str
) -> Iterator[BrokenLink]:
    model = ROW_MODELS[key]
    signed_rows = {r["id"]: r for r in signed}
    live_rows = {r["id"]: r for r in live}
    for pk in sorted(signed_rows.keys() | live_rows.keys()):
        if pk not in live_rows:
            yield BrokenLink(model, pk, "was signed but is no longer on the record")
        elif pk not in signed_rows:
            yield BrokenLink(model, pk, "is on the record but was not signed")
        else:
            yield from _differences(signed_rows[pk], live_rows[pk], model, pk)


def signed_record_check(record: SessionRecord) -> BrokenLink | None:
    """A signed record's snapshot matches its hash, the rows it came from still say what was
    signed, and each addendum matches its hash; or the first that does not."""
    sealed = getattr(record, "signed_content", None)
    if sealed is None:
        return BrokenLink("supervision.sessionrecord", record.pk, "is signed but was never sealed")
    if content_hash(sealed.content) != sealed.content_hash:
        return BrokenLink(
            "supervision.signedcontent", sealed.pk, "the stored snapshot no longer matches its hash"
        )
    for broken in _differences(
        sealed.content, record_content(record), "supervision.sessionrecord", record.pk
    ):
        return broken
    for addendum in record.addenda.all():
        if addendum_hash(addendum) != addendum.content_hash:
            return BrokenLink("supervision.addendum", addendum.pk, "no longer matches its hash")
    return None
