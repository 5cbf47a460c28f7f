"""The outbox in the secretariat's admin: each secretariat reads and retries its own committees' mail.

Every row names the committee whose business it is (see committee/outbox/models.py). A secretariat sees
the rows of the committees it staffs, as everywhere else in the admin; rows of no committee (digests,
which gather several committees' news, and mail written before rows named their committee) are for
superusers only. The retry action works on the visible rows only.
"""

from django.contrib import admin

from committee.outbox.admin import NotificationAdmin, OutboundEmailAdmin
from committee.outbox.models import Notification, OutboundEmail

from ..permissions import can_manage_committee
from .base import is_secretariat_staff, restrict_to_managed


class CommitteeOutbox:
    """The committee's permission policy applied to outbox rows; nobody edits or deletes them."""

    def get_queryset(self, request):
        return restrict_to_managed(request.user, super().get_queryset(request), "committee")

    def has_module_permission(self, request):
        return is_secretariat_staff(request.user)

    def has_view_permission(self, request, obj=None):
        if not is_secretariat_staff(request.user):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return obj.committee_id is not None and can_manage_committee(request.user, obj.committee_id)

    def has_change_permission(self, request, obj=None):
        return False  # rows change only through delivery and the retry action

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class SecretariatOutboundEmailAdmin(CommitteeOutbox, OutboundEmailAdmin):
    pass


@admin.register(Notification)
class SecretariatNotificationAdmin(CommitteeOutbox, NotificationAdmin):
    pass
