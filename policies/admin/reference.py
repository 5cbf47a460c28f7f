"""Reference data and people's settings in the admin: policy areas, consultations (read-only, with the
secretariat's extend, close and withdraw), digest preferences."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.directory.scope import is_secretariat_staff, managed_committee_ids
from committee.directory.services import people_of
from policies import services
from policies.models import Consultation, DigestPreference, PolicyArea
from policies.permissions import visible_consultations
from policies.workflow import CONSULTATIONS

from .base import ReferenceFilter, SecretariatAdmin, run_on_form
from .display import overdue_marker
from .exports import ExportsChangelist
from .forms import CommentForm, ExtensionForm
from .history import ShowsHistory


@admin.register(PolicyArea)
class PolicyAreaAdmin(ShowsHistory, SecretariatAdmin):
    """Areas are shared by every committee: any secretariat maintains them, only superusers delete them."""

    committee_path = None
    list_display = ("code", "name_ko", "name_en", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_ko", "name_en")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        services.save_policy_area(obj, by=request.user)  # the change form and the editable list alike

    def delete_model(self, request, obj):
        services.delete_policy_area(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for area in queryset:
            services.delete_policy_area(area, by=request.user)


class PastDeadlineFilter(admin.SimpleListFilter):
    title = _("past deadline")
    parameter_name = "past_deadline"

    def lookups(self, request, model_admin):
        return (("yes", _("Past deadline, no answer, still wanted")),)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Consultation.objects.past_deadline().values("pk"))
        return queryset


@admin.register(Consultation)
class ConsultationAdmin(ExportsChangelist, ShowsHistory, SecretariatAdmin):
    """Consultations are requested from the proposal's page and answered by the agencies: read-only here, but
    for the secretariat's buttons: extend the deadline, close (opinion no longer needed), withdraw the request."""

    visible = staticmethod(visible_consultations)
    committee_path = "proposal__committee"
    list_display = (
        "proposal_reference",
        "agency_acronym",
        "deadline",
        "status",
        "position",
        "late",
        "answered_at",
        "overdue",
    )
    list_filter = (
        PastDeadlineFilter,
        "status",
        "late",
        "position",
        ("agency", ReferenceFilter),
        ("proposal__committee", ReferenceFilter),
        "deadline",
    )
    search_fields = ("proposal__reference", "proposal__title", "agency__acronym", "opinion")
    list_select_related = ("proposal", "agency")
    fields = (
        "proposal",
        "agency",
        "question",
        "deadline",
        "requested_by",
        "requested_at",
        "status",
        "position",
        "opinion",
        "late",
        "answered_by",
        "answered_at",
        "revised_at",
        "closed_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("proposal"), ordering="proposal__reference")
    def proposal_reference(self, obj):
        return obj.proposal.reference

    @admin.display(description=_("agency"), ordering="agency__acronym")
    def agency_acronym(self, obj):
        return obj.agency.acronym

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        return overdue_marker(obj.is_overdue())

    # --- the secretariat's buttons: extend, close, withdraw -----------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        action = path(
            "<path:object_id>/act/<str:action>/",
            wrap(self.consultation_action_view),
            name="policies_consultation_action",
        )
        return [action, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        buttons = []
        if obj is not None and self.manages(request, obj):
            buttons = [
                {
                    "label": CONSULTATIONS.transitions[action].label,
                    "url": reverse("admin:policies_consultation_action", args=[obj.pk, action]),
                    "method": "get",
                }
                for action in CONSULTATION_BUTTONS
                if CONSULTATIONS.allows(obj.status, action)
            ]
        extra_context = {**(extra_context or {}), "workflow_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

    def consultation_action_view(self, request, object_id, action):
        """A form for the button: the new deadline, or the reason told to the agency; a refusal keeps it."""
        consultation = self.get_managed_object(request, object_id)
        if action not in CONSULTATION_BUTTONS:
            return self.back_to(consultation)
        if action == "extend":
            form = ExtensionForm(request.POST if request.method == "POST" else None)
        else:
            form = CommentForm(
                request.POST if request.method == "POST" else None,
                required=False,
                label=gettext("Reason, told to the agency"),
            )
        if request.method == "POST" and form.is_valid():
            verb = partial(take_consultation_action, action, consultation, by=request.user, data=form.cleaned_data)
            if run_on_form(form, verb) is not None:
                done = gettext("%(action)s: done.") % {"action": CONSULTATIONS.transitions[action].label}
                self.message_user(request, done, messages.SUCCESS)
                return self.back_to(consultation)
        return self.render_service_form(
            request,
            consultation,
            form,
            title=CONSULTATIONS.transitions[action].label,
            intro=CONSULTATION_INTROS[action],
        )


CONSULTATION_BUTTONS = ("extend", "close", "withdraw")


def take_consultation_action(action, consultation, *, by, data):
    """The one verb behind each button, with what its form gathered."""
    if action == "extend":
        return services.extend_consultation(
            consultation, by=by, deadline=data["deadline"], working_days=data["working_days"]
        )
    verb = services.close_consultation if action == "close" else services.withdraw_consultation
    return verb(consultation, by=by, reason=data["comment"])


CONSULTATION_INTROS = {
    "extend": _("Give a later deadline. The agency's liaisons are told by notification and email."),
    "close": _(
        "The agency's opinion is no longer needed: it is told by notification and email, and can no longer answer."
    ),
    "withdraw": _("Withdraw the request for this agency's opinion: it is told by notification and email."),
}


@admin.register(DigestPreference)
class DigestPreferenceAdmin(SecretariatAdmin):
    """The secretariat helps the people of its committees with their digests."""

    committee_path = None
    list_display = ("user", "frequency", "period_start")
    list_filter = ("frequency",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    list_select_related = ("user",)
    filter_horizontal = ("areas",)
    fields = ("user", "frequency", "areas", "period_start")
    readonly_fields = ("period_start",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        committee_ids = managed_committee_ids(request.user)
        if committee_ids is None:
            return queryset
        people = get_user_model().objects.filter(people_of(committee_ids)).values("pk")
        return queryset.filter(user__in=people)

    def manages(self, request, obj=None):
        if not is_secretariat_staff(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_readonly_fields(self, request, obj=None):
        return ("user", "period_start") if obj is not None else ("period_start",)

    def save_model(self, request, obj, form, change):
        """Through the verb, like the person's own settings page: checked, windowed and in the audit log."""
        saved = services.update_preferences(
            obj.user, by=request.user, frequency=obj.frequency, areas=form.cleaned_data.get("areas", [])
        )
        obj.pk = saved.pk
        obj.period_start = saved.period_start

    def save_related(self, request, form, formsets, change):
        pass  # the verb has set the areas; there are no inlines

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            users = get_user_model().objects.filter(digest_preference__isnull=True)
            committee_ids = managed_committee_ids(request.user)
            if committee_ids is not None:
                users = users.filter(people_of(committee_ids))
            kwargs["queryset"] = users.distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
