"""What every committee admin shares: access through the one permission policy, and refusals as messages."""

import json

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from committee.directory.admin_access import CommitteeScopedAdmin, refusal_message
from committee.directory.models import Committee
from committee.directory.names import labelled
from committee.directory.scope import is_secretariat_staff, managed_committee_ids
from committee.directory.services import GrantRefused
from policies.workflow import WorkflowError

REFUSALS = (WorkflowError, ValidationError, GrantRefused)


def workflow_buttons(table, actions, urls: dict[str, tuple[str, str]], object_id) -> list[dict]:
    """Change-page buttons for the actions a workflow table allows: its label, the view taking it, GET or POST."""
    return [
        {
            "label": table.transitions[action].label,
            "url": reverse(urls[action][0], args=[object_id]),
            "method": urls[action][1],
        }
        for action in actions
        if action in urls
    ]


def attempt(call) -> tuple[object, str | None]:
    """Call a service verb: (its result, None), or (None, why it refused, in words); a refusal changed nothing.

    The one place the admin catches refusals: buttons, intermediate forms, changelist actions and saves
    all come through here.
    """
    try:
        return call(), None
    except REFUSALS as exc:
        return None, refusal_message(exc)


def run_on_form(form, call):
    """Call a service verb for an intermediate form: its result, or None with the refusal on the form."""
    result, refusal = attempt(call)
    if refusal is not None:
        form.add_error(None, refusal)
        return None
    return result


def run_on_selected(modeladmin, request, queryset, verb, done_message, *, name=str) -> None:
    """Call `verb(obj)` on each selected object: one message naming those done, then one per refusal."""
    done, refused = [], []
    for obj in queryset:
        _result, refusal = attempt(lambda obj=obj: verb(obj))
        if refusal is None:
            done.append(name(obj))
        else:
            refused.append(f"{name(obj)}: {refusal}")
    if done:
        modeladmin.message_user(request, done_message(", ".join(done)), messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.ERROR)


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to EXACT_BELOW rows and above that takes PostgreSQL's planner estimate.

    A changelist counted its rows on every page view, and a second time without the filters for "(N total)":
    at 100,000 proposals each count reads every visible row (bench/RESULTS.md). Above a few thousand rows
    nobody needs the last digit; the page links follow the estimate, and a page past the real end shows the
    changelist's "wrong page" message rather than an error.
    """

    EXACT_BELOW = 5_000

    @cached_property
    def count(self):
        estimate = planner_estimate(self.object_list)
        if estimate is None or estimate < self.EXACT_BELOW:
            return super().count
        return estimate


class ReferenceFilter(admin.RelatedFieldListFilter):
    """A sidebar filter by agency, area or committee, its choices read from their own small table: committees
    the reader staffs, every agency and area. Django's RelatedOnlyFieldListFilter finds the choices with a
    DISTINCT over every visible row, 30-170 ms per page view at 100,000 rows (bench/RESULTS.md)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        limit = {}
        staffed = managed_committee_ids(request.user)
        if field.related_model is Committee and staffed is not None:
            limit = {"pk__in": staffed}
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=limit)


def planner_estimate(queryset) -> int | None:
    """The number of rows PostgreSQL expects `queryset` to return, read from EXPLAIN (None elsewhere)."""
    if not hasattr(queryset, "query") or connections[queryset.db].vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class SecretariatAdmin(CommitteeScopedAdmin):
    """A model admin whose access is decided by policies.permissions, never by Django's model permissions.

    Subclasses say how a row reaches its committee (`committee_path`) and which policy queryset applies
    (`visible`); the secretariat sees and works on its own committees only, superusers on all.
    """

    visible = None  # staticmethod(policies.permissions.visible_*), or None when the committee path is enough
    refusals = REFUSALS
    # No count of the whole table beside the filtered one, and an estimate for long lists (see the paginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def readable(self, request, queryset):
        return queryset if self.visible is None else self.visible(request.user, queryset)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """People are offered by name, in the order the page's language expects (김민준 (minjun.kim))."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.is_relation and db_field.related_model is get_user_model() and field is not None:
            field.label_from_instance = labelled
        return field

    # --- helpers for buttons and intermediate forms -----------------------------------------------

    def get_managed_object(self, request, object_id):
        """The object for a workflow button: 404 if the user may not see it, 403 if they may not act on it."""
        try:
            obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        except (ValueError, ValidationError):
            raise Http404 from None  # not even a well-formed id
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def run_service(self, request, call, success_message) -> bool:
        """Call a service verb; a refusal becomes an error message and nothing changes. True on success."""
        _result, refusal = attempt(call)
        if refusal is not None:
            self.message_user(request, refusal, messages.ERROR)
            return False
        self.message_user(request, success_message, messages.SUCCESS)
        return True

    def back_to(self, obj):
        return HttpResponseRedirect(self.change_url(obj))

    def render_service_form(self, request, obj, form, *, title, intro="", extra=None):
        """An intermediate page asking for what a service verb needs beyond a click."""
        return TemplateResponse(
            request,
            "admin/policies/service_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "title": title,
                "intro": intro,
                "form": form,
                "media": self.media + form.media,
                "submit_label": title,
                "cancel_url": self.change_url(obj) if obj is not None else self.changelist_url(),
                **(extra or {}),
            },
        )

    def changelist_url(self) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


class ReadOnlyInline(admin.TabularInline):
    """A record shown on its parent's page that no one edits there."""

    extra = 0
    can_delete = False
    show_change_link = False
    classes = ("readonly-record",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_secretariat_staff(request.user)
