"""What every committee admin shares: access through the one permission policy, and refusals as messages."""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from committee.directory.services import GrantRefused
from policies.permissions import can_manage_committee, scope_of
from policies.workflow import WorkflowError


def is_secretariat_staff(user) -> bool:
    """The admin is the secretariat's desk: staff accounts that staff a committee, and superusers."""
    return bool(user.is_active and user.is_staff and scope_of(user).is_secretariat)


def managed_committee_ids(user) -> frozenset[int] | None:
    """The committees whose data the user manages in the admin; None means all (superusers)."""
    scope = scope_of(user)
    return None if scope.superuser else scope.staffed


def restrict_to_managed(user, queryset, committee_path: str):
    """Keep only rows of committees the user staffs, whatever else the policy lets them read elsewhere."""
    if not is_secretariat_staff(user):
        return queryset.none()
    committee_ids = managed_committee_ids(user)
    if committee_ids is None:
        return queryset
    return queryset.filter(**{f"{committee_path}__in": committee_ids})


def describe(exc) -> str:
    """A refusal from the services, in words for an admin message."""
    if isinstance(exc, ValidationError):
        return " ".join(str(message) for message in exc.messages)
    return str(exc.message)  # every refusal class says why in its `message`


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
        return None, describe(exc)


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


class SecretariatAdmin(admin.ModelAdmin):
    """A model admin whose access is decided by policies.permissions, never by Django's model permissions.

    Subclasses say how a row reaches its committee (`committee_path`) and which policy queryset applies
    (`visible`); the secretariat sees and works on its own committees only, superusers on all.
    """

    committee_path = "committee"
    visible = None  # staticmethod(policies.permissions.visible_*), or None when the committee path is enough
    list_per_page = 50

    # --- access ---------------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.visible is not None:
            queryset = self.visible(request.user, queryset)
        if self.committee_path is None:
            return queryset if is_secretariat_staff(request.user) else queryset.none()
        return restrict_to_managed(request.user, queryset, self.committee_path)

    def committee_id_of(self, obj) -> int | None:
        *hops, last = self.committee_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop)
        return getattr(obj, f"{last}_id")

    def manages(self, request, obj=None) -> bool:
        if not is_secretariat_staff(request.user):
            return False
        if obj is None or self.committee_path is None:
            return True
        return can_manage_committee(request.user, self.committee_id_of(obj))

    def has_module_permission(self, request):
        return is_secretariat_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_add_permission(self, request):
        return self.manages(request)

    def has_change_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal from a service verb during save rolls the whole save back and comes back as a message."""
        response, refusal = attempt(partial(super().changeform_view, request, object_id, form_url, extra_context))
        if refusal is not None:
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return response


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
