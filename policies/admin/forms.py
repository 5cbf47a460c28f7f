"""Forms of the admin's intermediate pages: the input a service verb needs beyond a click."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Agency
from policies import services
from policies.models import Decision


class CommentForm(forms.Form):
    """Why: returning a proposal, reopening an action, cancelling a meeting."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, required=True, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if label:
            self.fields["comment"].label = label


class DeadlineFields(forms.Form):
    """A deadline as a date, or as a number of Korean working days from today: one of the two."""

    deadline = forms.DateField(label=_("Deadline"), required=False, widget=AdminDateWidget)
    working_days = forms.IntegerField(
        label=_("or within this many working days"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Counted from today; weekends and Korean public holidays do not count."),
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("deadline") is None) == (cleaned.get("working_days") is None) and not self.has_error(
            "deadline"
        ):
            raise ValidationError(_("Give either a deadline date or a number of working days (one of the two)."))
        return cleaned


class ExtensionForm(DeadlineFields):
    """A later deadline for one consultation."""


class SettleConsultationsForm(forms.Form):
    """Accepting or returning a proposal whose opinions are still awaited: keep them open, or close them."""

    open_consultations = forms.ChoiceField(
        label=_("Opinions still awaited"),
        widget=forms.RadioSelect,
        choices=[
            ("keep", _("Keep them open: the agencies may still answer, and see the consultation as open")),
            (
                "close",
                _("Close them: the agencies are told by notification and email that their opinion is not needed"),
            ),
        ],
    )

    def __init__(self, *args, comment_required=False, awaited=True, **kwargs):
        super().__init__(*args, **kwargs)
        if comment_required:
            self.fields["comment"] = CommentForm().fields["comment"]
            self.order_fields(["comment", "open_consultations"])
        if not awaited:
            del self.fields["open_consultations"]


class ConsultationRequestForm(DeadlineFields):
    """Ask one agency or several for their opinion by a date or within a number of Korean working days."""

    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies to consult"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One agency is enough."),
    )
    question = forms.CharField(
        label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )
    field_order = ["agencies", "deadline", "working_days", "question"]

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        # The lead agency is never consulted on its own proposal, and nobody twice.
        self.fields["agencies"].queryset = (
            Agency.objects.filter(committees=proposal.committee_id, is_active=True)
            .exclude(pk=proposal.lead_agency_id)
            .exclude(consultations__proposal=proposal)
            .order_by("acronym")
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 5, "cols": 60}))
    votes_for = forms.IntegerField(label=_("Votes for"), required=False, min_value=0, max_value=1000)
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0, max_value=1000)
    abstentions = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0, max_value=1000)
    outcome_basis = forms.CharField(
        label=_("Basis without a vote"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Why the outcome stands without a vote or other than the votes say, e.g. consensus."),
    )
    decided_at = forms.SplitDateTimeField(
        label=_("Decided at"), required=False, widget=AdminSplitDateTime, help_text=_("Leave empty for now.")
    )

    def record(self, item, *, by):
        """The one call both the meeting page and the desk make: record this item's decision as typed."""
        return services.record_decision(item, by=by, **self.cleaned_data)
