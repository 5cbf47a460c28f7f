"""Filter sets of the list endpoints: relations by acronym or code, dates as ranges (`..._after`, `..._before`)."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField, RangeField
from rest_framework import filters as drf_filters
from rest_framework.exceptions import ValidationError

from committee.dates import seoul_today
from committee.directory.models import Agency, Committee
from policies.models import (
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    Minutes,
    PolicyArea,
    Proposal,
    ProposalState,
)


class SearchFilter(drf_filters.SearchFilter):
    """`?search=`: DRF's, except on a view that names the domain's own search (`search_function`, e.g.
    policies/search.py's proposals), so the API finds what the portal and the admin find."""

    def filter_queryset(self, request, queryset, view):
        search = getattr(view, "search_function", None)
        if search is None:
            return super().filter_queryset(request, queryset, view)
        text = request.query_params.get(self.search_param, "")
        if "\x00" in text:  # PostgreSQL text cannot hold it; the portal's form refuses it the same way
            raise ValidationError({self.search_param: [_("Null characters are not allowed.")]})
        return search(queryset, text)


class OrderingFilter(drf_filters.OrderingFilter):
    """`?ordering=`: DRF's, except that a term the list does not offer is refused (400 naming the choices)
    rather than silently dropped, and the schema lists the terms (the view's `ordering_fields`, each also with
    `-`) instead of calling the parameter free text."""

    def get_ordering(self, request, queryset, view):
        given = request.query_params.get(self.ordering_param)
        if given is not None:
            terms = [term.strip() for term in given.split(",")]
            if len(self.remove_invalid_fields(queryset, terms, view, request)) != len(terms):
                choices = [
                    term
                    for name, _label in self.get_valid_fields(queryset, view, {"request": request})
                    for term in (name, f"-{name}")
                ]
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Choose from: %(choices)s (several: separated by commas).")
                            % {"choices": ", ".join(choices)}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if not fields or fields == "__all__":
            return parameters
        terms = [term for name in fields for term in (name, f"-{name}")]
        for parameter in parameters:
            parameter["schema"] = {"type": "array", "items": {"type": "string", "enum": terms}, "minItems": 1}
            parameter.update(style="form", explode=False)
        return parameters


# A typed parameter given empty (`?overdue=`, `?due_after=`) is an error like any other value that is not of
# its type, rather than "no filter": only a parameter left out means that. (Text parameters may be empty.)
class GivenMeansFilled:
    empty_values = (None,)


class StrictIntegerField(GivenMeansFilled, forms.IntegerField):
    pass


class StrictDateField(GivenMeansFilled, forms.DateField):
    pass


class StrictChoiceField(GivenMeansFilled, forms.ChoiceField):
    def to_python(self, value):
        return None if value is None else str(value)  # left out stays "no filter"; given empty is checked

    def validate(self, value):
        if value is None:
            return
        super().validate(value)
        if value == "":  # ChoiceField checks only values that are not falsy
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice", {"value": value})


class StrictDateRangeField(GivenMeansFilled, DateRangeField):
    def __init__(self, *args, **kwargs):
        RangeField.__init__(self, (StrictDateField(), StrictDateField()), *args, **kwargs)


class IdFilter(filters.NumberFilter):
    """A whole-number id (NumberFilter would accept 1.5)."""

    field_class = StrictIntegerField


class DateRangeFilter(filters.DateFromToRangeFilter):
    field_class = StrictDateRangeField


class ChoiceFilter(filters.ChoiceFilter):
    field_class = StrictChoiceField


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else, empty included, is an error rather than a filter silently ignored."""

    widget = forms.TextInput  # NullBooleanSelect would turn unknown words into "no filter"

    def to_python(self, value):
        if value is None:
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value):
        pass


class BoolFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


def by_committee(field_name="committee"):
    return filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="code", queryset=Committee.objects.all(), label=_("Committee code")
    )


def by_agency(field_name="agency", label=None):
    return filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="acronym",
        queryset=Agency.objects.all(),
        label=label or _("Agency acronym"),
    )


# django-filter's MultipleChoiceFilter adds DISTINCT by default, for choices across a relation; on a column of the
# row itself it only made PostgreSQL sort and compare every matching row, full width, for the page and its count
# (8x the list's cost at 100,000 proposals, bench/RESULTS.md).


class ProposalFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(
        choices=ProposalState.choices, label=_("State (repeat for several)"), distinct=False
    )
    committee = by_committee()
    lead_agency = by_agency("lead_agency", _("Lead agency acronym"))
    policy_area = filters.ModelChoiceFilter(
        to_field_name="code", queryset=PolicyArea.objects.all(), label=_("Primary policy area code")
    )
    submitted = DateRangeFilter(field_name="submitted_at", label=_("First submitted between (dates)"))
    created = DateRangeFilter(field_name="created_at", label=_("Created between (dates)"))

    class Meta:
        model = Proposal
        fields = ["state", "committee", "lead_agency", "policy_area", "submitted", "created"]


class ConsultationFilter(filters.FilterSet):
    proposal = IdFilter(field_name="proposal_id", label=_("Proposal id"))
    agency = by_agency()
    status = filters.MultipleChoiceFilter(
        choices=Consultation.Status.choices, label=_("Status (repeat for several)"), distinct=False
    )
    answered = BoolFilter(field_name="answered_at", lookup_expr="isnull", exclude=True, label=_("Answered"))
    overdue = BoolFilter(method="filter_overdue", label=_("Unanswered past the deadline"))
    late = BoolFilter(field_name="late", label=_("Answered after the deadline"))

    class Meta:
        model = Consultation
        fields = ["proposal", "agency", "status", "answered", "overdue", "late"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.model.objects.past_deadline(seoul_today()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class FollowUpActionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=FollowUpAction.Status.choices, label=_("Status (repeat for several)"), distinct=False
    )
    agency = by_agency(label=_("Responsible agency acronym"))
    overdue = BoolFilter(method="filter_overdue", label=_("Unfinished past the due date"))
    due = DateRangeFilter(field_name="due_date", label=_("Due between (dates)"))
    decision = IdFilter(field_name="decision_id", label=_("Decision id"))

    class Meta:
        model = FollowUpAction
        fields = ["status", "agency", "overdue", "due", "decision"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.model.objects.overdue(seoul_today()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class MeetingFilter(filters.FilterSet):
    committee = by_committee()
    status = filters.MultipleChoiceFilter(
        choices=Meeting.Status.choices, label=_("Status (repeat for several)"), distinct=False
    )
    starts = DateRangeFilter(field_name="starts_at", label=_("Starting between (dates)"))

    class Meta:
        model = Meeting
        fields = ["committee", "status", "starts"]


class MinutesFilter(filters.FilterSet):
    committee = by_committee("meeting__committee")
    meeting = IdFilter(field_name="meeting_id", label=_("Meeting id"))
    status = filters.MultipleChoiceFilter(choices=Minutes.Status.choices, label=_("Status (repeat for several)"))

    class Meta:
        model = Minutes
        fields = ["committee", "meeting", "status"]


class DecisionFilter(filters.FilterSet):
    committee = by_committee("agenda_item__meeting__committee")
    meeting = IdFilter(field_name="agenda_item__meeting_id", label=_("Meeting id"))
    outcome = filters.MultipleChoiceFilter(
        choices=Decision.Outcome.choices, label=_("Outcome (repeat for several)"), distinct=False
    )
    decided = DateRangeFilter(field_name="decided_at", label=_("Decided between (dates)"))

    class Meta:
        model = Decision
        fields = ["committee", "meeting", "outcome", "decided"]


class CommitteeFilter(filters.FilterSet):
    kind = ChoiceFilter(choices=Committee.Kind.choices)
    is_active = BoolFilter()

    class Meta:
        model = Committee
        fields = ["kind", "is_active"]


class ActiveFilter(filters.FilterSet):
    """Reference data (agencies, policy areas) filtered by whether it is still in use."""

    is_active = BoolFilter()

    class Meta:
        fields = ["is_active"]


class AgencyFilter(ActiveFilter):
    class Meta(ActiveFilter.Meta):
        model = Agency


class PolicyAreaFilter(ActiveFilter):
    class Meta(ActiveFilter.Meta):
        model = PolicyArea
