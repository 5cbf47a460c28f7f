"""The audit log in the admin: read-only for everyone, readable by superusers.

committee/directory/admin.py (the scope) widens reading to a committee's secretariat for entries about that committee;
the audit app itself imports nothing of ours. Actions are shown in words (actions.py), filtered by them too.
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .actions import ACTIONS
from .models import AuditEntry


def _label(model, key) -> str:
    """A stored key shown as the object it names, when it still exists."""
    if key is None or model is None:
        return "—" if key is None else str(key)
    obj = model._base_manager.filter(pk=key).first()
    return f"{obj} (#{key})" if obj is not None else f"#{key}"


def _shown(field, value) -> str:
    if field is not None and field.is_relation and field.related_model is not None:
        if isinstance(value, list):
            return ", ".join(_label(field.related_model, key) for key in value) or "—"
        return _label(field.related_model, value)
    return "—" if value in (None, "") else str(value)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_label", "action_label", "content_type", "object_repr", "client_address")
    list_filter = (
        ACTIONS.list_filter("action", _("action")),
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "content_type",
    )
    search_fields = ("object_repr", "=object_id", "actor_label", "detail")
    date_hierarchy = "created_at"
    list_select_related = ("content_type",)
    fields = (
        "created_at",
        "actor",
        "actor_label",
        "action_label",
        "content_type",
        "object_id",
        "object_repr",
        "committee_id",
        "changes_table",
        "detail",
        "client_address",
    )
    readonly_fields = fields
    list_per_page = 100

    # --- reading -------------------------------------------------------------------------------

    def readable(self, request, queryset):
        """The entries this user may read: everything for superusers, nothing for anyone else."""
        user = request.user
        return queryset if user.is_active and user.is_superuser else queryset.none()

    def may_read(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_queryset(self, request):
        return self.readable(request, super().get_queryset(request))

    def has_module_permission(self, request):
        return self.may_read(request)

    def has_view_permission(self, request, obj=None):
        return self.may_read(request)  # the change page finds its entry through get_queryset

    # --- never writing -------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return obj.get_action_display()

    @admin.display(description=_("changes"))
    def changes_table(self, obj):
        if not obj.changes:
            return "—"
        model = obj.content_type.model_class() if obj.content_type_id else None
        rows = []
        for name, values in obj.changes.items():
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:  # a field since removed: show the raw values
                    field = None
            label = getattr(field, "verbose_name", name)
            before, after = (list(values) + [None, None])[:2]
            rows.append((label, _shown(field, before), _shown(field, after)))
        body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"),
            _("before"),
            _("after"),
            body,
        )
