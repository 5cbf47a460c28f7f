"""Forms of the admin's intermediate pages: the input a service verb needs beyond a click."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Agency
from policies.models import Decision


class CommentForm(forms.Form):
    """Why: returning a proposal, reopening an action, cancelling a meeting."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, required=True, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if label:
            self.fields["comment"].label = label


class ConsultationRequestForm(forms.Form):
    """Ask two or more agencies for their opinion by a date or within a number of Korean working days."""

    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies to consult"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=AdminDateWidget)
    working_days = forms.IntegerField(
        label=_("or within this many working days"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Counted from today; weekends and Korean public holidays do not count."),
    )
    question = forms.CharField(
        label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        # The lead agency is never consulted on its own proposal, and nobody twice.
        self.fields["agencies"].queryset = (
            Agency.objects.filter(committees=proposal.committee_id, is_active=True)
            .exclude(pk=proposal.lead_agency_id)
            .exclude(consultations__proposal=proposal)
            .order_by("acronym")
        )

    def clean_agencies(self):
        agencies = self.cleaned_data["agencies"]
        if len(agencies) < 2:
            raise ValidationError(_("Choose two or more agencies to consult."))
        return agencies

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("deadline") is None) == (cleaned.get("working_days") is None) and not self.has_error(
            "deadline"
        ):
            raise ValidationError(_("Give either a deadline date or a number of working days (one of the two)."))
        return cleaned


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 5, "cols": 60}))
    votes_for = forms.IntegerField(label=_("Votes for"), required=False, min_value=0, max_value=1000)
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0, max_value=1000)
    abstentions = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0, max_value=1000)
    decided_at = forms.SplitDateTimeField(
        label=_("Decided at"), required=False, widget=AdminSplitDateTime, help_text=_("Leave empty for now.")
    )
