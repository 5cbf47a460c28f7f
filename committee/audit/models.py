"""AuditEntry: one row per change, written once and never changed or deleted by the application.

The model refuses to save an existing row and to delete one; its querysets refuse `update()` and
`delete()`; a PostgreSQL trigger (migration 0002) refuses UPDATE and DELETE from any client, so even
raw SQL from the application cannot rewrite history. Lawful disposal of old entries is a deliberate act
of the database owner: `ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only`, delete,
enable it again, in one transaction.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import ACTIONS


class AppendOnlyError(Exception):
    """Someone tried to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def _raw_delete(self, using):  # the path a cascade takes; no relation cascades here, but be sure
        raise AppendOnlyError("Audit entries cannot be deleted.")

    delete.alters_data = True
    delete.queryset_only = True
    update.alters_data = True


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    # PROTECT: an account that has acted is deactivated, never deleted, so the record keeps its author.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("by (as recorded)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of object"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # A plain number, not a key: the audit app knows no committee model, and the entry outlives committees.
    committee_id = models.BigIntegerField(_("committee"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    detail = models.TextField(_("detail"), blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        base_manager_name = "objects"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_entry_object")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def get_action_display(self) -> str:
        return ACTIONS.label_of(self.action)
