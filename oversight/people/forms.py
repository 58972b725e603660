from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.template import loader

from oversight.core.forms import (
    DateInput,
    GovukForm,
    GovukFormMixin,
    GovukModelForm,
    SubmissionTokenMixin,
    VersionedFormMixin,
)
from oversight.core.services import outgoing_email_queue

from .models import (
    Agency,
    Membership,
    Person,
    Role,
    StaffGroup,
    Team,
    TrainingKind,
    TrainingRecord,
)


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.CharField(
        label="Username or email address",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct username or email address and password. "
        "Your account is locked for a while after several failed attempts.",
        "inactive": "This account has been closed. Ask your administrator.",
    }


class GovukPasswordResetForm(GovukFormMixin, PasswordResetForm):
    def get_users(self, email: str) -> Any:
        """Django's, but also someone invited who never set a password (issue 11 item 1):
        their password is unusable until they do, and Django would send them nothing."""
        email = email.strip()
        return (
            person
            for person in Person.objects.filter(email__iexact=email, is_active=True)
            if person.email.casefold() == email.casefold()
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through core's outbox, never from the request: a mail server that does not answer
        cannot hold the reset page, nor, eight at a time, the whole server (issue 10 item 2).
        The link is secret: its body is wiped once sent, and it is never sent again."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        outgoing_email_queue(
            to=to_email,
            subject=subject,
            body=loader.render_to_string(email_template_name, context),
            purpose="Password reset link",
            about=context.get("user"),
            secret=True,
        )


class GovukSetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass


class PeopleSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search by name, username or email", required=False, max_length=100)


# --- Administration forms (the services in services.py do the writing) --------------------


class VersionedForm(VersionedFormMixin, GovukModelForm):
    """An edit form that carries the version the editor started from (optimistic locking);
    the same form adding a record has no version."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}


class AgencyForm(VersionedForm):
    class Meta:
        model = Agency
        fields = ["name", "sector", "nation"]
        labels = {"nation": "Bank holidays of"}
        help_texts = {"nation": "Deadlines in this agency skip this nation's bank holidays."}


class NamedInAgencyForm(VersionedForm):
    class Meta:
        model = Team
        fields = ["name"]


class StaffGroupForm(GovukModelForm):
    class Meta:
        model = StaffGroup
        fields = ["name"]
        help_texts = {"name": "For example, health visitors or school nurses."}


class PersonForm(VersionedForm):
    class Meta:
        model = Person
        fields = ["given_name", "family_name", "email", "username"]
        help_texts = {"username": "Leave blank to use the email address."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].required = self.instance.pk is not None


class PersonCreateForm(SubmissionTokenMixin, PersonForm):
    """Adding a person: the form carries a one-time token (issue 10 item 6)."""

    def validate_unique(self) -> None:
        """Left to ``person_create``, which checks after claiming the token: the second post
        of a double click then finds the person the first made, instead of being told that
        someone already has this email."""


class MembershipForm(VersionedForm):
    """A post; the team and staff group lists offer only the agency's own."""

    class Meta:
        model = Membership
        fields = [
            "job_title",
            "team",
            "staff_group",
            "employee_number",
            "contact_level",
            "starts_on",
            "new_starter",
            "new_starter_until",
            "ends_on",
        ]
        labels = {
            "contact_level": "Contact with children and families",
            "starts_on": "Started in post",
            "new_starter": "Newly qualified or new to post",
            "new_starter_until": "Newly qualified or new to post until",
            "ends_on": "Left post on",
        }
        widgets = {
            "starts_on": DateInput(),
            "new_starter_until": DateInput(),
            "ends_on": DateInput(),
            "contact_level": forms.RadioSelect,
            "new_starter": forms.RadioSelect,
        }

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.live().select_related("agency")
        groups = StaffGroup.objects.live().select_related("agency")
        if agency is not None:
            self.instance.agency = agency
            teams, groups = teams.filter(agency=agency), groups.filter(agency=agency)
        else:
            self.fields = {
                "agency": forms.ModelChoiceField(queryset=Agency.objects.live(), label="Agency"),
                **self.fields,
            }
            self.fields["agency"].widget.attrs["class"] = "govuk-select"
            del self.fields["ends_on"]
        self.limit_choices("team", teams, label=str)
        self.limit_choices("staff_group", groups, label=lambda g: f"{g.name} ({g.agency})")

    def _post_clean(self) -> None:
        if "agency" in self.fields and self.cleaned_data.get("agency"):
            self.instance.agency = self.cleaned_data["agency"]
        super()._post_clean()  # type: ignore[misc]


SENIOR_HELP = (
    "Colleagues in the same agency who hold the role. Someone missing needs the role first."
)


class RelationshipStartForm(GovukForm):
    """Start a supervision or line-management relationship; the current one hands over."""

    senior = forms.ModelChoiceField(queryset=Person.objects.filter(is_active=True))
    agency = forms.ModelChoiceField(queryset=Agency.objects.live())
    starts_on = forms.DateField(label="Starts on", widget=DateInput())
    handover_notes = forms.CharField(
        label="Handover notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the new supervisor or manager needs to know. Recorded with the "
        "relationship it takes over from.",
    )

    def __init__(
        self, *args: Any, senior_label: str, agencies: Any, seniors: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["senior"].label = senior_label
        self.limit_choices("senior", seniors)
        self.fields["senior"].help_text = SENIOR_HELP
        self.limit_choices("agency", agencies)


class EndForm(GovukForm):
    ends_on = forms.DateField(label="Ends on", widget=DateInput(), help_text="The last day.")


class DeactivateForm(GovukForm):
    reason = forms.CharField(label="Why is this account being closed?", widget=forms.Textarea)
    ends_on = forms.DateField(
        label="Last working day",
        widget=DateInput(),
        help_text="Their posts, roles and relationships end on this day.",
    )


class RoleAssignForm(GovukForm):
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.live(),
        required=False,
        help_text="Leave blank for partnership auditor and administrator, which are held "
        "across the partnership.",
    )
    starts_on = forms.DateField(label="From", widget=DateInput())


class TrainingRecordForm(GovukModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["kind", "course", "completed_on", "expires_on"]
        labels = {"completed_on": "Completed on", "expires_on": "Expires on"}
        help_texts = {"expires_on": "Leave blank if it does not expire."}
        widgets = {
            "kind": forms.RadioSelect,
            "completed_on": DateInput(),
            "expires_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Supervisor training unless said otherwise, as before issue 15 item 6 added the type.
        self.fields["kind"].required = False
        self.fields["kind"].initial = TrainingKind.SUPERVISOR

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or TrainingKind.SUPERVISOR


class StaffImportForm(GovukForm):
    file = forms.FileField(
        label="CSV file of staff",
        help_text="Up to 5,000 rows. Use the template's columns; dates as YYYY-MM-DD or "
        "DD/MM/YYYY.",
    )


class MembershipCreateForm(SubmissionTokenMixin, MembershipForm):
    """Adding a post: the form carries a one-time token (issue 10 item 6)."""


class TrainingRecordAddForm(SubmissionTokenMixin, TrainingRecordForm):
    """Adding a training record: the form carries a one-time token (issue 10 item 6)."""
