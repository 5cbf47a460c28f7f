"""The register's search and filters, read from the query string (a GET form: it works without JavaScript)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from policies.queries.register import RegisterChoices, RegisterQuery


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    committee = forms.ChoiceField(label=_("Committee"), required=False)
    area = forms.ChoiceField(label=_("Policy area"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, choices: RegisterChoices):
        super().__init__(data)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("Number, title or summary")})
        self.fields["committee"].choices = [("", _("Any committee")), *choices.committees]
        self.fields["area"].choices = [("", _("Any area")), *choices.areas]
        self.fields["year"].choices = [("", _("Any year")), *((year, str(year)) for year in choices.years)]

    def register_query(self) -> RegisterQuery:
        data = self.cleaned_data
        return RegisterQuery(text=data["q"], committee=data["committee"], area=data["area"], year=data["year"])
