"""The outbox in the admin: what was sent, what failed and why, and a retry for failed emails.

Each secretariat reads and retries its own committees' mail: every row names the committee whose business it
is (see models.py), and access follows the committee scope (committee.directory.scope) as everywhere else
in the admin. Rows of no committee (digests, which gather several committees' news, and mail written before
rows named their committee) are for superusers only. Nobody edits or deletes a row.

Stored mail carries its recipients' unsubscribe tokens (in List-Unsubscribe and in digest links), and anyone
holding one could act for its owner, so only superusers see rows as stored; everyone else sees tokens masked.
An email's attachments are listed by name, type and size to whoever may read the email; their content is
not shown.
"""

import json

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from committee.directory.scope import can_manage_committee, is_secretariat_staff, restrict_to_managed

from . import delivery
from .kinds import KINDS
from .models import EmailAttachment, Notification, OutboundEmail
from .unsubscribe import mask_headers, mask_tokens


class MaskedTokens:
    """Shows `masked_fields` through their `masked_<name>` display methods to everyone but superusers."""

    masked_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + [f"masked_{name}" for name in self.masked_fields]

    def get_fields(self, request, obj=None):
        names = [field.name for field in self.model._meta.fields]
        if request.user.is_superuser:
            return names
        return [f"masked_{name}" if name in self.masked_fields else name for name in names]

    @admin.display(description=_("text"))
    def masked_body_text(self, obj):
        return mask_tokens(obj.body_text)

    @admin.display(description=_("HTML"))
    def masked_body_html(self, obj):
        return mask_tokens(obj.body_html)


class EmailAttachmentInline(admin.TabularInline):
    """An email's attachments, read-only: what was sent, not the files themselves."""

    model = EmailAttachment
    fields = readonly_fields = ["position", "filename", "content_type", "size"]
    extra = max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")  # a page of names, not megabytes of files

    def has_view_permission(self, request, obj=None):
        # Whoever may read the email may read what it carries, and no one else: the email's admin decides.
        return self.admin_site.get_model_admin(OutboundEmail).has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommitteeOutbox:
    """The committee scope applied to outbox rows; nobody adds, edits or deletes them."""

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

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return KINDS.label_of(obj.kind)

    def has_add_permission(self, request):
        return False  # rows are written by the application, never by hand

    def has_change_permission(self, request, obj=None):
        return False  # rows change only through delivery and the retry action

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(CommitteeOutbox, MaskedTokens, admin.ModelAdmin):
    list_display = [
        "created_at",
        "to_address",
        "subject",
        "kind_label",
        "committee",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_select_related = ["committee"]
    list_filter = ["status", KINDS.list_filter("kind", _("kind"))]
    search_fields = ["to_address", "subject", "dedup_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    masked_fields = ("headers", "body_text", "body_html")
    inlines = [EmailAttachmentInline]

    @admin.display(description=_("extra headers"))
    def masked_headers(self, obj):
        return json.dumps(mask_headers(obj.headers), ensure_ascii=False)

    @admin.action(description=_("Retry sending the selected failed emails"), permissions=["view"])
    def retry(self, request, queryset):
        # `queryset` is the selection within get_queryset, so nobody retries a row they may not see.
        count = delivery.retry_failed(queryset)
        self.message_user(
            request,
            ngettext("%(count)d failed email queued again.", "%(count)d failed emails queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(Notification)
class NotificationAdmin(CommitteeOutbox, MaskedTokens, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "kind_label", "committee", "read_at"]
    list_select_related = ["recipient", "committee"]
    list_filter = [KINDS.list_filter("kind", _("kind"))]
    search_fields = ["recipient__username", "subject", "dedup_key"]
    raw_id_fields = ["recipient"]
    masked_fields = ("body_text", "body_html", "url")

    @admin.display(description=_("link"))
    def masked_url(self, obj):
        return mask_tokens(obj.url)
