"""The directory in the admin: committees, agencies, memberships and profiles for the secretariat, and
user accounts and groups for superusers alone.

The secretariat's pages follow the committee scope (committee.directory.scope): a secretariat keeps its own
committee's description, quorum rule and members; superusers grant liaison agencies, secretariat seats and
member agencies, and keep the agencies. Every change of a grant goes through committee.directory.services,
which decides who may grant what and writes it to the audit log.

Django's own user admin lets anyone holding `auth.change_user` make any account (their own included) a
superuser, and `auth.change_group` lets a group's member give the group any permission; accounts and
groups are therefore for superusers alone. A liaison agency set here is a grant like any other
(services.save_profile), and changes of activity, staff or superuser status, groups and permissions are
written to the audit log.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from committee.audit.admin import AuditEntryAdmin
from committee.audit.models import AuditEntry

from . import services
from .admin_access import CommitteeScopedAdmin
from .auth import audit_address
from .models import Agency, Committee, CommitteeMembership, Profile
from .names import display_name, labelled
from .scope import is_secretariat_staff, managed_committee_ids


class SuperusersOnly:
    """Admin access for active superusers, and no one else."""

    def _superuser(self, request) -> bool:
        return services.is_superuser(request.user)

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request, *args):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)


class ProfileInline(SuperusersOnly, admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("agency", "language", "phone")

    def get_readonly_fields(self, request, obj=None):
        # No one changes their own liaison agency, not even a superuser.
        return ("agency",) if obj is not None and obj.pk == request.user.pk else ()

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Group)
class GroupAdmin(SuperusersOnly, DjangoGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(SuperusersOnly, DjangoUserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "name", "email", "agency", "is_staff", "is_active")
    list_select_related = ("profile__agency",)

    @admin.display(description=_("name"), ordering="last_name")
    def name(self, obj):
        return display_name(obj)

    @admin.display(description=Profile._meta.get_field("agency").verbose_name, ordering="profile__agency__acronym")
    def agency(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.agency.acronym if profile and profile.agency_id else ""

    def save_model(self, request, obj, form, change):
        stored = User.objects.filter(pk=obj.pk).first() if change else None
        form.privileges_before = services.account_privileges(stored) if stored is not None else {}
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Profile:
            return super().save_formset(request, form, formset, change)
        for profile in formset.save(commit=False):
            services.save_profile(profile, by=request.user, client_address=audit_address(request))
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_account_change(
            form.instance,
            getattr(form, "privileges_before", {}),
            by=request.user,
            client_address=audit_address(request),
        )


def is_superuser(request) -> bool:
    return services.is_superuser(request.user)


@admin.register(Committee)
class CommitteeAdmin(CommitteeScopedAdmin):
    """The secretariat keeps its committee's names, description and quorum rule up to date. Creating
    committees, choosing their secretariat and their member agencies is for superusers: a secretariat seat
    and an agency's seat are grants (services.set_committee_links), logged in the audit log."""

    committee_path = "pk"
    list_display = ("code", "name_ko", "name_en", "kind", "quorum_rule", "member_count", "is_active")
    list_filter = ("kind", "quorum_rule", "is_active")
    search_fields = ("code", "name_ko", "name_en")
    list_select_related = ("parent",)
    filter_horizontal = ("agencies", "secretariat")
    SUPERUSER_FIELDS = ("code", "kind", "parent", "agencies", "secretariat", "is_active")
    LINKS = ("secretariat", "agencies")

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

    def save_related(self, request, form, formsets, change):
        links = {field: form.cleaned_data.pop(field) for field in self.LINKS if field in form.cleaned_data}
        super().save_related(request, form, formsets, change)
        if links:
            address = audit_address(request)
            services.set_committee_links(form.instance, by=request.user, client_address=address, **links)

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Agency)
class AgencyAdmin(CommitteeScopedAdmin):
    """Agencies are reference data shared by every committee: the secretariat reads them, superusers add,
    rename and deactivate them. An acronym in use never changes and an agency in use is never deleted."""

    committee_path = None
    list_display = ("acronym", "name_ko", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("acronym", "name_ko", "name_en")

    def has_add_permission(self, request):
        return is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request) and (obj is None or not obj.is_in_use())

    def save_model(self, request, obj, form, change):
        services.save_agency(obj, by=request.user, client_address=audit_address(request))

    def delete_model(self, request, obj):
        services.delete_agency(obj, by=request.user, client_address=audit_address(request))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all of the selection or none of it
            for agency in queryset:
                services.delete_agency(agency, by=request.user, client_address=audit_address(request))


def person_label(user) -> str:
    return labelled(user)


class PeopleSelect(AutocompleteSelect):
    """The admin's search widget, asking the membership admin's own people search instead of all accounts."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:directory_committeemembership_people")


class PeopleSearchView(AutocompleteJsonView):
    """Search among the people the user may seat (services.manageable_people), never all accounts."""

    membership_admin = None

    def process_request(self, request):
        term = request.GET.get("term", "")[:100]
        return term, self.membership_admin, CommitteeMembership._meta.get_field("user"), "pk"

    def has_perm(self, request, obj=None):
        return self.membership_admin.has_add_permission(request)

    def get_queryset(self):
        people = services.manageable_people(self.request.user)
        for word in self.term.split():
            people = people.filter(
                Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
        return people

    def serialize_result(self, obj, to_field_name):
        return {"id": str(obj.pk), "text": person_label(obj)}


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(CommitteeScopedAdmin):
    """A secretariat keeps its own committees' members (services.save_membership): it seats people of its
    committees and accounts with no role yet, changes role, agency represented and term, ends terms. A
    membership keeps its person and committee, and no one keeps their own."""

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
    autocomplete_fields = ("user",)

    def get_urls(self):
        view = PeopleSearchView.as_view(admin_site=self.admin_site, membership_admin=self)
        people = path("people/", self.admin_site.admin_view(view), name="directory_committeemembership_people")
        return [people, *super().get_urls()]

    def get_readonly_fields(self, request, obj=None):
        return ("committee", "user") if obj is not None else ()

    def manages(self, request, obj=None):
        # One's own membership is shown, never changed: view permission is decided in has_view_permission.
        return super().manages(request, obj) and (obj is None or obj.user_id != request.user.pk)

    def has_view_permission(self, request, obj=None):
        return super().manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.manages(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "committee":
            committee_ids = managed_committee_ids(request.user)
            kwargs["queryset"] = (
                Committee.objects.all() if committee_ids is None else Committee.objects.filter(pk__in=committee_ids)
            )
        if db_field.name == "user":
            kwargs["queryset"] = services.manageable_people(request.user)
            kwargs["widget"] = PeopleSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_membership(obj, by=request.user, client_address=audit_address(request))

    def delete_model(self, request, obj):
        services.delete_membership(obj, by=request.user, client_address=audit_address(request))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all of the selection or none of it
            for membership in queryset:
                services.delete_membership(membership, by=request.user, client_address=audit_address(request))

    @admin.display(description=_("committee"), ordering="committee__code")
    def committee_code(self, obj):
        return obj.committee.code


@admin.register(Profile)
class ProfileAdmin(CommitteeScopedAdmin):
    """Profiles of the people around the secretariat's committees: members, liaisons, colleagues.

    The secretariat keeps their language and phone. The liaison agency is a grant (services.save_profile):
    only a superuser changes it, and never on their own profile.
    """

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
        people = get_user_model().objects.filter(services.people_of(committee_ids))
        return queryset.filter(user__in=people.values("pk"))

    def manages(self, request, obj=None):
        if not is_secretariat_staff(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()  # only superusers add profiles, for other people (the account list leaves them out)
        return ("user",) if services.may_grant_liaison(request.user, obj.user_id) else ("user", "agency")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.exclude(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return is_superuser(request)

    def save_model(self, request, obj, form, change):
        services.save_profile(obj, by=request.user, client_address=audit_address(request))

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, obj):
        return display_name(obj.user)


# --- the audit log, opened to each committee's secretariat for entries about that committee --------------


class CommitteeAuditEntryAdmin(AuditEntryAdmin):
    def may_read(self, request) -> bool:
        return is_secretariat_staff(request.user)

    def readable(self, request, queryset):
        if not is_secretariat_staff(request.user):
            return queryset.none()
        committee_ids = managed_committee_ids(request.user)
        return queryset if committee_ids is None else queryset.filter(committee_id__in=committee_ids)


if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)
admin.site.register(AuditEntry, CommitteeAuditEntryAdmin)
