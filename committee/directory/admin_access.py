"""Admin pages whose access follows the committee scope (committee.directory.scope), not Django's model permissions.

The secretariat sees and works on rows of the committees it staffs, superusers on all. The directory's and
the outbox's pages use this base directly; the policy lifecycle's pages extend it (policies/admin/base.py).
"""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from .scope import can_manage_committee, is_secretariat_staff, restrict_to_managed
from .services import GrantRefused


def refusal_message(exc) -> str:
    """A refusal in words for an admin message; every refusal class says why in its `message`."""
    if isinstance(exc, ValidationError):
        return " ".join(str(message) for message in exc.messages)
    return str(exc.message)


class CommitteeScopedAdmin(admin.ModelAdmin):
    """Subclasses say how a row reaches its committee (`committee_path`, None when every row is shared
    secretariat reference data) and which refusals a save may meet (`refusals`)."""

    committee_path = "committee"
    refusals: tuple[type[Exception], ...] = (GrantRefused, ValidationError)
    list_per_page = 50

    def get_queryset(self, request):
        queryset = self.readable(request, super().get_queryset(request))
        if self.committee_path is None:
            return queryset if is_secretariat_staff(request.user) else queryset.none()
        return restrict_to_managed(request.user, queryset, self.committee_path)

    def readable(self, request, queryset):
        """A hook for a narrower visibility policy than the committee path gives."""
        return queryset

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal from a service verb during save rolls the whole save back and shows the page again.

        The refused save is run once more with the refusal on the form, so that the form is invalid, nothing
        is saved, and the page comes back with everything as typed (main form and inlines) and the reason.
        """
        view = partial(super().changeform_view, request, object_id, form_url, extra_context)
        try:
            return view()
        except self.refusals as exc:
            refusal = refusal_message(exc)
        if request.method == "POST":
            request.committee_refusal = refusal
            return view()
        self.message_user(request, refusal, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "committee_refusal", None)
        return form if refusal is None else refused_form(form, refusal)


def refused_form(form_class, refusal: str):
    """The admin's form class again, invalid with a service verb's refusal as its non-field error."""

    def clean(self):
        cleaned_data = form_class.clean(self)
        self.add_error(None, refusal)
        return cleaned_data

    return type(form_class.__name__, (form_class,), {"clean": clean})
