"""User accounts with their committee profile inline; for superusers, through Django's own permissions.

The secretariat's views of committees, agencies, memberships and profiles follow policies.permissions
and are registered in policies/admin/directory.py, since this app imports nothing of ours.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("agency", "language", "phone")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "email", "first_name", "last_name", "agency", "is_staff", "is_active")
    list_select_related = ("profile__agency",)

    @admin.display(description=Profile._meta.get_field("agency").verbose_name, ordering="profile__agency__acronym")
    def agency(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.agency.acronym if profile and profile.agency_id else ""
