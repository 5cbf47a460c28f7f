"""The directory's models in the secretariat's admin: committees, agencies, memberships and profiles.

They are registered here rather than in committee/directory/admin.py because access follows
policies.permissions, and the directory app imports nothing of ours.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Agency, Committee, CommitteeMembership, Profile

from .base import SecretariatAdmin, is_secretariat_staff, managed_committee_ids, people_of


def is_superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


@admin.register(Committee)
class CommitteeAdmin(SecretariatAdmin):
    """The secretariat keeps its committee's description, quorum rule and member agencies up to date;
    creating committees and choosing their secretariat is for superusers."""

    committee_path = "pk"
    list_display = ("code", "name_ko", "name_en", "kind", "quorum_rule", "member_count", "is_active")
    list_filter = ("kind", "quorum_rule", "is_active")
    search_fields = ("code", "name_ko", "name_en")
    list_select_related = ("parent",)
    filter_horizontal = ("agencies", "secretariat")
    SUPERUSER_FIELDS = ("code", "kind", "parent", "secretariat", "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships", distinct=True))

    def committee_id_of(self, obj):
        return obj.pk

    def get_readonly_fields(self, request, obj=None):
        return () if is_superuser(request) else self.SUPERUSER_FIELDS

    def has_add_permission(self, request):
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Agency)
class AgencyAdmin(SecretariatAdmin):
    committee_path = None
    list_display = ("acronym", "name_ko", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("acronym", "name_ko", "name_en")

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(SecretariatAdmin):
    committee_path = "committee"
    list_display = ("user", "committee_code", "role", "agency", "term_start", "term_end")
    list_filter = (
        ("committee", admin.RelatedOnlyFieldListFilter),
        "role",
        ("agency", admin.RelatedOnlyFieldListFilter),
        "term_start",
        "term_end",
    )
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    list_select_related = ("user", "committee", "agency")
    date_hierarchy = "term_start"

    def has_delete_permission(self, request, obj=None):
        return self.manages(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "committee":
            committee_ids = managed_committee_ids(request.user)
            kwargs["queryset"] = (
                Committee.objects.all() if committee_ids is None else Committee.objects.filter(pk__in=committee_ids)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("committee"), ordering="committee__code")
    def committee_code(self, obj):
        return obj.committee.code


@admin.register(Profile)
class ProfileAdmin(SecretariatAdmin):
    """Profiles of the people around the secretariat's committees: members, liaisons, colleagues."""

    committee_path = None
    list_display = ("user", "full_name", "agency", "language", "phone")
    list_filter = (("agency", admin.RelatedOnlyFieldListFilter), "language")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email", "phone")
    list_select_related = ("user", "agency")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        committee_ids = managed_committee_ids(request.user)
        if committee_ids is None:
            return queryset
        return queryset.filter(user__in=get_user_model().objects.filter(people_of(committee_ids)).values("pk"))

    def manages(self, request, obj=None):
        if not is_secretariat_staff(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def has_add_permission(self, request):
        return is_superuser(request)

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, obj):
        return obj.user.get_full_name()
