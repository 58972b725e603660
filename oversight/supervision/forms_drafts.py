"""The supervisee's draft of a 1:1's record (issue 15 item 7; seed 001 "Recording")."""

from __future__ import annotations

from django import forms

from oversight.core.forms import GovukModelForm, VersionedFormMixin

from .models import SuperviseeDraft


class SuperviseeDraftForm(VersionedFormMixin, GovukModelForm):
    class Meta:
        model = SuperviseeDraft
        fields = ["agenda_notes", "cases_notes", "actions_notes", "learning_development"]
        help_texts = {
            "agenda_notes": "The agenda and what you talked about.",
            "cases_notes": "For each child or family: their needs, the risks, the plan and what "
            "you agreed. Your supervisor records each case discussion and its rating.",
            "actions_notes": "Who will do what, and by when.",
            "learning_development": "What you learned and any training or development agreed.",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ("agenda_notes", "cases_notes", "actions_notes", "learning_development")
        }
