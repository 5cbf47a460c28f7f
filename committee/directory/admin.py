"""User accounts and groups with the committee profile inline: superusers only, whatever Django permissions say.

Django's own user admin lets anyone holding `auth.change_user` make any account (their own included) a
superuser, and `auth.change_group` lets a group's member give the group any permission; accounts and
groups are therefore for superusers alone. A liaison agency set here is a grant like any other
(services.save_profile), and changes of activity, staff or superuser status, groups and permissions are
written to the audit log.

The secretariat's views of committees, agencies, memberships and profiles follow policies.permissions
and are registered in policies/admin/directory.py, since this app imports nothing of ours but the audit log.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from . import services
from .auth import audit_address
from .models import Profile


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
    list_display = ("username", "email", "first_name", "last_name", "agency", "is_staff", "is_active")
    list_select_related = ("profile__agency",)

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
