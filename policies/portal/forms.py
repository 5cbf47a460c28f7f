"""Portal forms: they collect and shape input; the services decide what is allowed."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Agency, Committee
from committee.directory.scope import scope_of
from committee.outbox.models import EmailChoice
from policies.amounts import AmountError, format_won, parse_won
from policies.models import Consultation, DigestPreference, PolicyArea, ProposalState
from policies.notifications import CHOOSABLE_KINDS, MANDATORY_KINDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files in one input; each is checked by services.check_upload before saving."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class WonField(forms.Field):
    """An amount of won as people type it ("12,000,000,000", "₩12,000,000,000", "120억", "3억 5천만")."""

    default_error_messages = {
        "invalid": _("Enter an amount in won, such as 12,000,000,000 or 120억."),
        "negative": _("The amount cannot be negative."),
        "too_large": _("The amount is too large."),
    }

    widget = forms.TextInput(attrs={"autocomplete": "off", "maxlength": 60})

    def prepare_value(self, value):
        return format_won(value) if isinstance(value, int) else value

    def to_python(self, value):
        text = str(value or "").strip()
        if len(text) > 60:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_won(text)
        except AmountError as error:
            raise ValidationError(self.error_messages[str(error)], code=str(error)) from None


def add_service_errors(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Show a ValidationError raised by a service on the form fields it names, the rest on the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ProposalForm(forms.Form):
    """Create and edit proposals. The committee is chosen once, at creation."""

    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    body = forms.CharField(
        label=_("Body"),
        required=False,
        # portal/rich-text.js puts formatting controls over this textarea; without JavaScript it stays one.
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-text": ""}),
        help_text=_("Use the toolbar for headings, lists, bold and links. Anything else is removed when saved."),
    )
    requested_decision = forms.CharField(
        label=_("Requested decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    policy_area = forms.ModelChoiceField(label=_("Policy area"), queryset=PolicyArea.objects.none())
    secondary_areas = forms.ModelMultipleChoiceField(
        label=_("Secondary policy areas"),
        queryset=PolicyArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_sponsors = forms.ModelMultipleChoiceField(
        label=_("Co-sponsoring agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    estimated_budget_krw = WonField(
        label=_("Estimated budget (KRW)"),
        required=False,
        help_text=_("In won, as you would write it: 12,000,000,000, ₩12,000,000,000 or 120억."),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, Office, HWP, text or image files. You can choose several."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.proposal = proposal
        areas = PolicyArea.objects.filter(is_active=True)
        if proposal is not None:
            # Keep an area that was retired after the proposal chose it.
            areas = PolicyArea.objects.filter(is_active=True) | PolicyArea.objects.filter(
                pk__in=[proposal.policy_area_id, *proposal.secondary_areas.values_list("pk", flat=True)]
            )
        self.fields["policy_area"].queryset = areas.distinct()
        self.fields["secondary_areas"].queryset = areas.distinct()
        self.fields["co_sponsors"].queryset = Agency.objects.filter(is_active=True).exclude(pk=scope.agency_id)
        if proposal is None:
            self.fields["committee"].queryset = Committee.objects.filter(pk__in=scope.agency_committees, is_active=True)
            del self.fields["version"]
        else:
            del self.fields["committee"]
            self.fields["version"].required = True

    def changes(self) -> dict:
        """The cleaned values in the shape services.create_proposal / update_proposal take."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "requested_decision": data["requested_decision"],
            "policy_area": data["policy_area"],
            "estimated_budget_krw": data["estimated_budget_krw"],
            "co_sponsors": list(data["co_sponsors"]),
            "secondary_areas": list(data["secondary_areas"]),
        }


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *ProposalState.choices])
    area = forms.ModelChoiceField(
        label=_("Policy area"), required=False, queryset=PolicyArea.objects.all(), empty_label=_("Any area")
    )


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=Consultation.Position.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required when you set conditions or object."),
    )


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 5}))
    percent_complete = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    reports_done = forms.BooleanField(
        label=_("The action is done"),
        required=False,
        help_text=_("The secretariat verifies it before it is closed."),
    )
    reported_on = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Default: today.")
    )
    files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("An official letter (공문) or another document: PDF, Office, HWP, text or image."),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    frequency = forms.ChoiceField(
        label=_("Email digest"),
        choices=DigestPreference.Frequency.choices,
        help_text=_("A summary of new proposals, consultations, agendas, decisions and overdue actions."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Policy areas"),
        queryset=PolicyArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to hear about every area."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per kind of email: now, digest only, or off. Left unanswered, a kind keeps its current choice.
        for kind in CHOOSABLE_KINDS:
            self.fields[f"email_{kind}"] = forms.ChoiceField(
                label=kind.label, choices=EmailChoice.Delivery.choices, widget=forms.RadioSelect, required=False
            )
        for kind in sorted(MANDATORY_KINDS):
            self.fields[f"email_{kind}"] = forms.ChoiceField(
                label=kind.label,
                choices=[(EmailChoice.Delivery.INSTANT, EmailChoice.Delivery.INSTANT.label)],
                widget=forms.RadioSelect,
                required=False,
                disabled=True,
                initial=EmailChoice.Delivery.INSTANT,
                help_text=_("Mail your agency must receive: it cannot be turned off."),
            )

    @staticmethod
    def initial_email(choices: dict[str, str]) -> dict[str, str]:
        return {f"email_{kind}": delivery for kind, delivery in choices.items()}

    def general_fields(self):
        return [field for field in self if not field.name.startswith("email_")]

    def email_fields(self):
        return [field for field in self if field.name.startswith("email_")]

    def clean(self):
        """The per-kind answers, gathered as the verb takes them: email_choices = {kind: delivery}."""
        data = super().clean()
        choices = {}
        for kind in CHOOSABLE_KINDS:
            delivery = data.pop(f"email_{kind}", "")
            if delivery:
                choices[str(kind)] = delivery
        for kind in MANDATORY_KINDS:
            data.pop(f"email_{kind}", None)
        data["email_choices"] = choices
        return data


class WorkListForm(forms.Form):
    """The filters of the follow-up action and consultation lists: which ones, and (for a liaison) whose."""

    WHOSE = [("ours", _("Our agency's")), ("all", _("All I may see"))]

    def __init__(self, data=None, *, shows, liaison: bool):
        super().__init__(data)
        self.fields["show"] = forms.ChoiceField(label=_("Show"), required=False, choices=shows)
        if liaison:
            self.fields["whose"] = forms.ChoiceField(label=_("Whose"), required=False, choices=self.WHOSE)

    def choice(self, name: str) -> str:
        """The chosen value, or the first choice when none (or a wrong one) was given."""
        value = self.cleaned_data.get(name) if self.is_valid() else None
        return value or self.fields[name].choices[0][0]
