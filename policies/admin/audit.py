"""The audit log for the secretariat: entries about the committees it staffs, read-only like everyone's.

The audit app registers a superuser-only admin and knows no committees; here the same admin is opened
to each committee's secretariat for entries recorded with that committee's id.
"""

from django.contrib import admin

from committee.audit.admin import AuditEntryAdmin
from committee.audit.models import AuditEntry

from .base import is_secretariat_staff, managed_committee_ids


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
