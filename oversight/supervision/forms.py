"""Forms for supervision pages. Services validate the rules; these only shape input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils import timezone

from oversight.contracts.models import GROUP_SESSION_TYPES, SessionType
from oversight.core.forms import (
    SESSION_DATE,
    DateInput,
    GovukForm,
    PlausibleDateField,
    SubmissionTokenMixin,
    VersionedFormMixin,
)
from oversight.people.models import Agency, Person

from .evidence import FORMATS as EVIDENCE_FORMATS
from .models import (
    WELLBEING_FIELDS,
    Action,
    DecisionKind,
    FollowUpOutcome,
    Function,
    KeyElement,
    OversightFocus,
    RagRating,
    ReviewAnswer,
    ReviewTheme,
    ShortfallKind,
    Stakeholder,
)
from .prompts import ALL_STAGE_FIELDS, DISCUSSION_PROMPTS, TOOL_CHOICES, TOOLS, Tool, tool_for


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M")


class PeopleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class PeopleMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class ChildMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.case_reference})"


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.case_reference})"


class PlannedStartForm(GovukForm):
    """Date and start time, combined into ``planned_start`` in the local time zone."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("start_time"):
            data["planned_start"] = timezone.make_aware(
                dt.datetime.combine(data["date"], data["start_time"])
            )
        return data


class SessionPlanForm(SubmissionTokenMixin, PlannedStartForm):
    session_type = forms.ChoiceField(
        label="Type of session", choices=SessionType.choices, widget=forms.RadioSelect
    )
    supervisee = PeopleChoiceField(
        label="Supervisee",
        queryset=None,
        required=False,
        help_text="For a 1:1, peer, three-way or urgent session.",
    )
    attendees = PeopleMultipleChoiceField(
        label="Who is invited",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a group or reflective practice group, or others at a three-way meeting.",
    )
    # Issue 13 item 6 (seed 002): a reflective practice group may invite practitioners from
    # other agencies, found by their exact work email address (nothing lists the partnership).
    invite_emails = forms.CharField(
        label="Practitioners from other agencies (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="Their work email addresses, one on each line, exactly as their agency "
        "holds them. Each person's own agency counts their attendance.",
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        help_text="For example, the child safeguarding practice review a group will discuss.",
    )
    learning_review = forms.CharField(
        label="Serious case review or child safeguarding practice review the group learns "
        "from (optional)",
        required=False,
        max_length=200,
        help_text="Name the review so its learning can be traced.",
        error_messages={"max_length": "Enter the review's name in 200 characters or fewer."},
    )
    date = PlausibleDateField(label="Date", dates=SESSION_DATE)
    start_time = forms.TimeField(label="Start time", widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=10,
        max_value=480,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    location = forms.CharField(label="Place (optional)", required=False)
    video_link = forms.URLField(
        label="Video link (optional)", required=False, assume_scheme="https"
    )
    # Shown only after a clash was found (issue 12 item 4): a warning, not a refusal.
    clash_confirmed = forms.BooleanField(
        label="Plan it anyway: I know about the other session",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, supervisees: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("supervisee", supervisees)
        self.limit_choices("attendees", colleagues)
        # Only what the chosen type needs (issue 12 item 4): a group invites people and has a
        # title; a three-way meeting has a supervisee and others; the rest a supervisee.
        chosen = (self.data.get("session_type") if self.is_bound else None) or self.initial.get(
            "session_type"
        )
        if chosen in SessionType.values:
            self.fields["session_type"].widget = forms.HiddenInput()
            if chosen in GROUP_SESSION_TYPES:
                del self.fields["supervisee"]
                self.fields["attendees"].help_text = ""
                if chosen != SessionType.REFLECTIVE_GROUP:
                    del self.fields["invite_emails"]
            else:
                self.fields["supervisee"].help_text = ""
                del self.fields["learning_review"]  # a group's (issue 15 item 15)
                del self.fields["invite_emails"]
                if chosen == SessionType.THREE_WAY:
                    self.fields["attendees"].label = "Who else is invited"
                    self.fields["attendees"].help_text = "Line managers and anyone else attending."
                else:
                    del self.fields["attendees"]
                    del self.fields["title"]

    def ask_to_confirm_clash(self) -> None:
        """Show the confirmation box, unticked, beside the clash warning."""
        field = self.fields["clash_confirmed"]
        field.widget = forms.CheckboxInput()
        data = cast(Any, self.data).copy()
        data.pop(self.add_prefix("clash_confirmed"), None)
        self.data = data

    def clean_invite_emails(self) -> list[str]:
        found = [
            line.strip().lower()
            for line in self.cleaned_data.get("invite_emails", "").replace(",", "\n").splitlines()
            if line.strip()
        ]
        validator = forms.EmailField()
        for address in found:
            try:
                validator.clean(address)
            except forms.ValidationError as invalid:
                raise forms.ValidationError(
                    f"“{address}” is not an email address. Enter one address on each line."
                ) from invalid
        return list(dict.fromkeys(found))

    @property
    def chosen_type_label(self) -> str:
        chosen = self["session_type"].value()
        return str(dict(SessionType.choices).get(chosen, ""))


class SessionTypeForm(GovukForm):
    """The first question of planning: the kind of session decides what else is asked."""

    type = forms.ChoiceField(
        label="What kind of session are you planning?",
        choices=SessionType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of session",
            "invalid_choice": "Select the kind of session",
        },
    )


class CancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the session cancelled?", widget=forms.Textarea(attrs={"rows": 3})
    )
    notice_given = forms.BooleanField(
        label="Notice was given as the supervision contract agrees", required=False
    )


class RescheduleForm(PlannedStartForm):
    date = PlausibleDateField(label="New date", dates=SESSION_DATE)
    start_time = forms.TimeField(label="New start time", widget=TimeInput())
    reason = forms.CharField(
        label="Why is the session moving?", widget=forms.Textarea(attrs={"rows": 3})
    )
    notice_given = forms.BooleanField(
        label="Notice was given as the supervision contract agrees", required=False, initial=True
    )


class DidNotAttendForm(GovukForm):
    reason = forms.CharField(
        label="Anything to note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgendaItemForm(SubmissionTokenMixin, GovukForm):
    text = forms.CharField(
        label="What do you want to discuss?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a family you are worried about, your workload, or training.",
        error_messages={"required": "Enter what you want to discuss."},
    )


class AgendaItemEditForm(VersionedFormMixin, GovukForm):
    text = forms.CharField(
        label="What do you want to discuss?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what you want to discuss."},
    )


class AgendaItemRemoveForm(VersionedFormMixin, GovukForm):
    """Removing an agenda item asks nothing but carries the version seen."""


class ChildrenForm(GovukForm):
    children = ChildMultipleChoiceField(
        label="Children and families to bring",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("children", children)


class RecordForm(VersionedFormMixin, GovukForm):
    """The record itself (Appendix III), with a follow-up choice for each earlier action."""

    # Blank until the record is first saved; the service refuses a blank one after that.
    version_optional = True

    held_on = PlausibleDateField(label="Date of this session", dates=SESSION_DATE)
    last_session_on = PlausibleDateField(
        label="Date of the last session", required=False, dates=SESSION_DATE
    )
    started_at = forms.TimeField(
        label="Time the session started (optional)",
        required=False,
        widget=TimeInput(),
        help_text="For example, 14:05. This shows whether sessions start on time.",
        error_messages={"invalid": "Enter the time the session started, like 14:05."},
    )
    ended_at = forms.TimeField(
        label="Time the session ended (optional)",
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": "Enter the time the session ended, like 15:00."},
    )
    agenda_notes = forms.CharField(
        label="Agenda and issues for discussion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    learning_development = forms.CharField(
        label="Areas of learning and professional development opportunities",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    functions_served = forms.MultipleChoiceField(
        label="Functions this session served",
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The four functions of supervision (4x4x4).",
    )
    key_elements = forms.MultipleChoiceField(
        label="Key elements this session covered",
        choices=KeyElement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Balance these over time, not always within one session.",
    )
    next_session_on = PlausibleDateField(
        label="Date of next session", required=False, dates=SESSION_DATE
    )
    emotional_impact = forms.CharField(
        label="Emotional impact of the work",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    vicarious_trauma = forms.CharField(
        label="Signs of vicarious trauma", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    support_offered = forms.CharField(
        label="Support offered", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, earlier_actions: Iterable[Action] = (), wellbeing: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not wellbeing:
            for name in WELLBEING_FIELDS:
                del self.fields[name]
        self.follow_up_rows = []
        for action in earlier_actions:
            key = f"followup_{action.pk}"
            self.fields[key] = forms.ChoiceField(
                label=f"Follow-up: {action.description}",
                choices=FollowUpOutcome.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label="Note or reason (a reason is needed to drop an action)", required=False
            )
            self.fields[f"{key}_due"] = forms.DateField(
                label="New due date if carried forward", required=False, widget=DateInput()
            )
            self.follow_up_rows.append((action, key))

    def follow_up_fields(self) -> list[tuple[Action, Any, Any, Any]]:
        return [
            (action, self[key], self[f"{key}_note"], self[f"{key}_due"])
            for action, key in self.follow_up_rows
        ]

    def main_fields(self) -> list[Any]:
        return [
            self[name]
            for name in ("held_on", "started_at", "ended_at", "last_session_on", "agenda_notes")
            if name in self.fields
        ]

    def later_fields(self) -> list[Any]:
        return [
            self[name]
            for name in (
                "learning_development",
                "functions_served",
                "key_elements",
                "next_session_on",
            )
        ]

    def wellbeing_fields(self) -> list[Any]:
        return [self[name] for name in WELLBEING_FIELDS if name in self.fields]


class CaseDiscussionForm(SubmissionTokenMixin, VersionedFormMixin, GovukForm):
    child = ChildChoiceField(label="Child or family", queryset=None)
    rag_rating = forms.ChoiceField(
        label="RAG rating: are the child's circumstances improving, staying the same or "
        "getting worse?",
        choices=[
            (RagRating.GREEN, "Green – improving"),
            (RagRating.AMBER, "Amber – staying the same"),
            (RagRating.RED, "Red – getting worse"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the child's circumstances are improving, staying the "
            "same or getting worse."
        },
    )
    identified_needs = forms.CharField(
        label="Identified needs of the child or children",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risks = forms.CharField(
        label="Risks to the child and from whom or what",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    family_engagement = forms.CharField(
        label="Engagement of the family and capacity for change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan_and_contributions = forms.CharField(
        label="Plan for the family and each agency's contribution",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan_amendment = forms.CharField(
        label="Proposed amendment to the plan for escalating concerns or drift, and how it will "
        "be communicated to multi-agency colleagues",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    refusal_action = forms.CharField(
        label="Action if parents refuse services and the significant harm threshold is not met",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    experience = forms.CharField(
        label="Experience", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reflection = forms.CharField(
        label="Reflection", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    analysis = forms.CharField(
        label="Analysis", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    action_planning = forms.CharField(
        label="Action planning", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Gibbs' reflective cycle (seed 004 Appendix II Example 1; issue 15 item 11).
    feelings = forms.CharField(
        label="Feelings", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evaluation = forms.CharField(
        label="Evaluation", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conclusion = forms.CharField(
        label="Conclusion", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reflective_tool = forms.ChoiceField(
        choices=TOOL_CHOICES, required=False, widget=forms.HiddenInput
    )
    # Seed 001 4x4x4 (issue 15 item 12).
    stakeholders = forms.MultipleChoiceField(
        label="Whose perspectives did the discussion consider? (optional)",
        choices=Stakeholder.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The four stakeholders in supervision. Over time, each should be considered.",
    )
    specialist_referral = forms.BooleanField(
        label="The child is being referred for specialist assessment",
        required=False,
        help_text="Where a specialist assessment would help the child, and it is being progressed.",
    )
    specialist_referral_detail = forms.CharField(
        label="Which assessment, and by whom (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_themes = forms.MultipleChoiceField(
        label="Themes from serious case reviews considered (optional)",
        choices=ReviewTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the themes this discussion considered.",
    )
    decision = forms.CharField(
        label="Decision (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A decision about the child must be recorded on the child's file within two "
        "working days.",
    )
    rationale = forms.CharField(
        label="Rationale for the decision", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    variation_from_procedure = forms.CharField(
        label="Any variation from procedure, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    immediate_concern = forms.BooleanField(
        label="This is an immediate concern, escalated today", required=False
    )
    # Issue 15 item 2: the agency may need a line manager to authorise some kinds.
    decision_kind = forms.ChoiceField(
        label="Kind of decision",
        choices=DecisionKind.choices,
        initial=DecisionKind.OTHER,
        required=False,
        widget=forms.RadioSelect,
        help_text="Your agency may ask a line manager to authorise some kinds of decision.",
    )

    SECTION_FIELDS = (
        "identified_needs",
        "risks",
        "family_engagement",
        "plan_and_contributions",
        "plan_amendment",
        "refusal_action",
    )
    DECISION_FIELDS = (
        "decision",
        "rationale",
        "variation_from_procedure",
        "immediate_concern",
        "decision_kind",
    )
    OUTCOME_FIELDS = ("specialist_referral", "specialist_referral_detail", "review_themes")
    prompts = DISCUSSION_PROMPTS

    def __init__(
        self, *args: Any, children: Any = None, tool: Tool | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if children is None:
            del self.fields["child"]
        else:
            self.limit_choices("child", children)
        # Only the chosen tool's stages are asked; the others' text is kept as it was.
        self.tool = tool or tool_for(self.initial.get("reflective_tool"))
        self.initial["reflective_tool"] = self.tool.key
        for name in ALL_STAGE_FIELDS:
            if name not in self.tool.fields:
                del self.fields[name]
        for stage in self.tool.stages:
            self.fields[stage.field].label = stage.title

    def other_tools(self) -> list[Tool]:
        return [tool for tool in TOOLS.values() if tool.key != self.tool.key]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") and not data.get("rationale"):
            self.add_error("rationale", "Enter the rationale for the decision.")
        return data

    def head_fields(self) -> list[Any]:
        return [self[n] for n in ("child", "rag_rating") if n in self.fields]

    def section_fields(self) -> list[Any]:
        return [self[n] for n in self.SECTION_FIELDS]

    def cycle_fields(self) -> list[tuple[Any, Any]]:
        return [(stage, self[stage.field]) for stage in self.tool.stages]

    def stakeholder_field(self) -> Any:
        return self["stakeholders"]

    def decision_fields(self) -> list[Any]:
        return [self[n] for n in self.DECISION_FIELDS]

    def outcome_fields(self) -> list[Any]:
        return [self[n] for n in self.OUTCOME_FIELDS]


class ActionForm(SubmissionTokenMixin, GovukForm):
    description = forms.CharField(
        label="What is to be done", widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = PeopleChoiceField(label="Who is responsible", queryset=None)
    due_on = forms.DateField(label="By when", widget=DateInput())
    child = ChildChoiceField(label="Which child (optional)", queryset=None, required=False)

    def __init__(self, *args: Any, people: list[Any], children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The session's people, read with it (issue 17 item 1); a choice is checked by id.
        self.limit_choices(
            "owner", Person.objects.filter(pk__in=[p.pk for p in people]), read=people
        )
        self.limit_choices("child", children)


class AttendanceForm(GovukForm):
    attended = PeopleMultipleChoiceField(
        label="Who attended",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("attended", people)


class SuperviseeSignForm(GovukForm):
    comment = forms.CharField(
        label="Your comments (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Add anything you want on the record, including where you disagree.",
    )
    # Seed 004 "The Supervision Process": review the process of supervision itself (issue 15
    # item 10). Optional, named and kept with the record; not the anonymous evaluation.
    review_protected_time = forms.ChoiceField(
        label="Was the time protected and free from interruptions? (optional)",
        choices=ReviewAnswer.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    review_helpful = forms.ChoiceField(
        label="Did this session help your work with children and families? (optional)",
        choices=ReviewAnswer.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    review_improve = forms.CharField(
        label="What would make supervision work better for you? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your answers are kept with this record, with your name. The anonymous "
        "evaluation of supervision is separate.",
    )


class AddendumForm(SubmissionTokenMixin, GovukForm):
    reason = forms.CharField(
        label="Why does the record need correcting?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why the record needs correcting."},
    )
    text = forms.CharField(
        label="Correction",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the correction."},
    )


class ManagementOversightForm(SubmissionTokenMixin, GovukForm):
    child = ChildChoiceField(label="Child or family", queryset=None)
    made_on = forms.DateField(label="Date of the decision", widget=DateInput())
    summary = forms.CharField(
        label="What was reviewed", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea(attrs={"rows": 3}))
    variation_from_procedure = forms.CharField(
        label="Any variation from procedure, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    immediate_concern = forms.BooleanField(
        label="This is an immediate concern, escalated today", required=False
    )
    kind = forms.ChoiceField(
        label="Kind of decision",
        choices=DecisionKind.choices,
        initial=DecisionKind.OTHER,
        required=False,
        widget=forms.RadioSelect,
        help_text="Your agency may ask a line manager to authorise some kinds of decision.",
    )

    def __init__(self, *args: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("child", children)


class OversightActionForm(SubmissionTokenMixin, GovukForm):
    """An action from management oversight (seed 004 Definition; issue 15 item 1)."""

    focus = forms.ChoiceField(
        label="What is the action about?", choices=OversightFocus.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="What is to be done", widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = PeopleChoiceField(label="Who is responsible", queryset=None)
    due_on = forms.DateField(
        label="When will you check it is done?",
        widget=DateInput(),
        help_text="The action is followed up at the practitioner's next supervision too.",
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", people)


class OversightActionCheckForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Has the action been done?",
        choices=[
            ("done", "Done"),
            ("carried_forward", "Not yet: check again on a new date"),
            ("dropped", "Dropped"),
        ],
        widget=forms.RadioSelect,
    )
    new_due_on = forms.DateField(
        label="New date to check (if not yet done)", required=False, widget=DateInput()
    )
    note = forms.CharField(
        label="Note (needed if dropped)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionAuthoriseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Do you authorise this decision?",
        choices=[("authorise", "Yes, authorise it"), ("return", "No, return it with a reason")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (needed if you return it)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionPolicyForm(GovukForm):
    kinds = forms.MultipleChoiceField(
        label="Which kinds of decision must a line manager authorise?",
        choices=DecisionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if none need authorisation.",
    )


class ShortfallForm(SubmissionTokenMixin, GovukForm):
    """Seed 004 "Line management": keeping senior managers informed (issue 15 item 3)."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Agency")
    kind = forms.ChoiceField(
        label="What kind of shortfall is it?",
        choices=ShortfallKind.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label="What is happening", widget=forms.Textarea(attrs={"rows": 4})
    )
    impact = forms.CharField(
        label="How it may affect the service to children and families (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("agency", agencies)


class ShortfallAnswerForm(GovukForm):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What will be done, or why nothing can be done now.",
    )


class DecisionOnFileForm(GovukForm):
    recorded_on = forms.DateField(label="Date recorded on the child's file", widget=DateInput())
    case_system_reference = forms.CharField(
        label="Reference of the entry in the case system",
        help_text="So an auditor can find the entry on the child's own file.",
    )

    def recorded_at(self) -> dt.datetime:
        day = self.cleaned_data["recorded_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class ReflectionSettingsForm(VersionedFormMixin, GovukForm):
    """Seed 004 Appendix II (issue 15 item 11): the tool each case discussion offers first."""

    version_optional = True
    default_tool = forms.ChoiceField(
        label="Which reflective tool should case discussions offer first?",
        choices=TOOL_CHOICES,
        widget=forms.RadioSelect,
        help_text="Supervisors can still choose another tool for any discussion.",
        error_messages={"required": "Choose a reflective tool."},
    )


class EvidenceForm(GovukForm):
    """The period and format of a practitioner's own supervision evidence (issue 15 item 17)."""

    start = forms.DateField(
        label="From",
        widget=DateInput(),
        error_messages={"required": "Enter the first day of the period."},
    )
    end = forms.DateField(
        label="To",
        widget=DateInput(),
        error_messages={"required": "Enter the last day of the period."},
    )
    file_format = forms.ChoiceField(
        label="Format",
        choices=[(key, label) for key, (_, label) in EVIDENCE_FORMATS.items()],
        widget=forms.RadioSelect,
        initial="pdf",
        error_messages={"required": "Choose a format."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day must be the same as or after the first day.")
        if start and end and (end - start).days > 5 * 366:
            self.add_error("start", "Choose a period of five years or less.")
        return data


class SignCheckForm(VersionedFormMixin, GovukForm):
    """Signing from the check page: the version checked, so a record changed since is refused
    rather than signed unseen (issue 12 item 4)."""
