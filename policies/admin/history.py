"""Each record's own history on its change page: its audit entries, newest first, and a link to all of them."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from committee.audit.log import history_of
from committee.audit.models import AuditEntry

SHOWN = 20  # the latest; the link opens the audit log filtered to this record for the rest


class ShowsHistory:
    """Mixed into a model admin: the change page lists the record's audit entries the user may read."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        audit_admin = admin.site._registry.get(AuditEntry)
        if obj is not None and obj.pk is not None and audit_admin and audit_admin.has_view_permission(request):
            entries = audit_admin.readable(request, history_of(obj)).select_related("content_type")
            content_type = ContentType.objects.get_for_model(obj)
            query = urlencode({"content_type__id__exact": content_type.pk, "object_id": obj.pk})
            context["audit_history"] = list(entries[:SHOWN])
            context["audit_history_url"] = f"{reverse('admin:audit_auditentry_changelist')}?{query}"
        return super().render_change_form(request, context, add, change, form_url, obj)
