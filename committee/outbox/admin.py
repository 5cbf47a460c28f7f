"""The outbox in the admin: what was sent, what failed and why, and a retry for failed emails.

The classes are registered by policies/admin/outbox.py, which gives the secretariat access through the
committee's permission policy (this app may not import it).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import delivery
from .models import Notification, OutboundEmail


class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_address", "subject", "kind", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject", "dedup_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # rows change only through delivery and the retry action

    @admin.action(description=_("Retry sending the selected failed emails"), permissions=["view"])
    def retry(self, request, queryset):
        count = delivery.retry_failed(queryset)
        self.message_user(
            request,
            ngettext("%(count)d failed email queued again.", "%(count)d failed emails queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "kind", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "subject", "dedup_key"]
    raw_id_fields = ["recipient"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
