"""Forms of the meeting desk: the attendance sheet and the follow-up action; decisions use forms.DecisionForm."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Agency
from policies.models import Attendance

HANGUL = re.compile("[\uac00-\ud7a3]")


def person_name(user) -> str:
    """A person as people say it: Korean names family name first without a space (김민준), others "First Last"."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if not (first or last):
        return user.get_username()
    if HANGUL.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


class AttendanceSheetForm(forms.Form):
    """One row per member on the meeting day: present, absent or a delegate (named); an empty row is left out."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row["member"].pk
            self.fields[f"status-{pk}"] = forms.ChoiceField(
                label=row["name"],
                choices=Attendance.Status.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "attendance-status"}),
                initial=row["status"],
            )
            self.fields[f"delegate-{pk}"] = forms.CharField(
                label=_("Delegate's name"),
                required=False,
                max_length=200,
                initial=row["delegate_name"],
                widget=forms.TextInput(attrs={"class": "attendance-delegate", "size": 16}),
            )

    def sheet(self) -> list[dict]:
        """The rows as the template lays them out: each member with the two fields of their row."""
        return [
            {
                **row,
                "status_field": self[f"status-{row['member'].pk}"],
                "delegate_field": self[f"delegate-{row['member'].pk}"],
            }
            for row in self.rows
        ]

    def marked_rows(self, *, all_present: bool = False) -> list[dict]:
        """What to record: every marked row, or with "all present" every member as present."""
        marked = []
        for row in self.rows:
            pk = row["member"].pk
            status = Attendance.Status.PRESENT if all_present else self.cleaned_data.get(f"status-{pk}")
            if status:
                marked.append(
                    {
                        "member": row["member"],
                        "status": status,
                        "delegate_name": self.cleaned_data.get(f"delegate-{pk}", ""),
                    }
                )
        return marked


class FollowUpActionForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 40})
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(committees=committee, is_active=True).order_by("acronym")


class AgendaSuggestionsForm(forms.Form):
    """The carry-over suggestions beside the agenda (queries.carry_over), each a checkbox; the ticked ones go on
    the agenda in the order suggested. A ticked suggestion that is no longer open (placed or settled meanwhile)
    is refused with the others still ticked."""

    suggestions = forms.MultipleChoiceField(
        label=_("Suggested for this agenda"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "suggestion-tick"}),
        error_messages={"required": _("Tick at least one suggestion.")},
    )

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = suggestions
        self.fields["suggestions"].choices = [(suggestion.key, suggestion.title) for suggestion in suggestions]
        self.fields["suggestions"].error_messages["invalid_choice"] = _(
            "A ticked suggestion is no longer open: it was placed on an agenda or settled meanwhile. "
            "The list is up to date; tick again what to add."
        )

    def rows(self) -> list[dict]:
        """Each suggestion with its checkbox, as the template lays them out."""
        boxes = {box.data["value"]: box for box in self["suggestions"]}
        return [{"suggestion": suggestion, "box": boxes[suggestion.key]} for suggestion in self.offered]

    def ticked_items(self) -> list[dict]:
        """The agenda items to add (services.add_agenda_item's arguments), in the order suggested."""
        ticked = set(self.cleaned_data["suggestions"])
        return [suggestion.item for suggestion in self.offered if suggestion.key in ticked]
