"""The outbox in the secretariat's admin: failed emails are the secretariat's to see and send again."""

from django.contrib import admin

from committee.outbox.admin import NotificationAdmin, OutboundEmailAdmin
from committee.outbox.models import Notification, OutboundEmail

from .base import is_secretariat_staff


class SecretariatAccess:
    """Every member of a secretariat reads the outbox and retries failures; nobody edits or deletes rows."""

    def has_module_permission(self, request):
        return is_secretariat_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_secretariat_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class SecretariatOutboundEmailAdmin(SecretariatAccess, OutboundEmailAdmin):
    pass


@admin.register(Notification)
class SecretariatNotificationAdmin(SecretariatAccess, NotificationAdmin):
    def has_change_permission(self, request, obj=None):
        return False
