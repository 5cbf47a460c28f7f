"""Reference data and people's settings in the admin: policy areas, consultations (read-only), digest preferences."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from committee.directory.services import people_of
from policies import services
from policies.models import Consultation, DigestPreference, PolicyArea
from policies.permissions import visible_consultations

from .base import SecretariatAdmin, is_secretariat_staff, managed_committee_ids
from .history import ShowsHistory


@admin.register(PolicyArea)
class PolicyAreaAdmin(SecretariatAdmin):
    """Areas are shared by every committee: any secretariat maintains them, only superusers delete them."""

    committee_path = None
    list_display = ("code", "name_ko", "name_en", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_ko", "name_en")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class PastDeadlineFilter(admin.SimpleListFilter):
    title = _("past deadline")
    parameter_name = "past_deadline"

    def lookups(self, request, model_admin):
        return (("yes", _("Past deadline, no answer")),)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Consultation.objects.past_deadline().values("pk"))
        return queryset


@admin.register(Consultation)
class ConsultationAdmin(ShowsHistory, SecretariatAdmin):
    """Consultations are requested from the proposal's page and answered by the agencies: read-only here."""

    visible = staticmethod(visible_consultations)
    committee_path = "proposal__committee"
    list_display = ("proposal_reference", "agency_acronym", "deadline", "position", "answered_at", "overdue")
    list_filter = (
        PastDeadlineFilter,
        "position",
        ("agency", admin.RelatedOnlyFieldListFilter),
        ("proposal__committee", admin.RelatedOnlyFieldListFilter),
        "deadline",
    )
    search_fields = ("proposal__reference", "proposal__title", "agency__acronym", "opinion")
    list_select_related = ("proposal", "agency")
    date_hierarchy = "deadline"
    fields = (
        "proposal",
        "agency",
        "question",
        "deadline",
        "requested_by",
        "requested_at",
        "position",
        "opinion",
        "answered_by",
        "answered_at",
        "revised_at",
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

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()


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
