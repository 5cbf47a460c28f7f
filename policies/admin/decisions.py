"""Decisions (read-only, with follow-up actions assigned inline) and follow-up actions (verify, reopen)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Agency
from committee.directory.scope import is_secretariat_staff
from policies import services
from policies.models import Decision, FollowUpAction, Minutes, ProgressReport
from policies.permissions import allowed_actions, visible_actions, visible_decisions
from policies.workflow import FOLLOW_UP

from .base import ReadOnlyInline, ReferenceFilter, SecretariatAdmin, run_on_selected, workflow_buttons
from .display import overdue_marker
from .exports import ExportsChangelist
from .forms import CommentForm
from .history import ShowsHistory
from .letters import file_links
from .minutes import minutes_url

DECISION_COMMITTEE = "agenda_item__meeting__committee"
ACTION_COMMITTEE = "decision__agenda_item__meeting__committee"
# Where each secretariat action of workflow.FOLLOW_UP is taken here; reopening asks for a reason first.
ACTION_BUTTONS = {
    "verify": ("admin:policies_followupaction_verify", "post"),
    "reopen": ("admin:policies_followupaction_reopen", "get"),
}


class FollowUpActionInline(admin.TabularInline):
    """New rows assign follow-up actions through the service; existing ones are shown, not edited."""

    model = FollowUpAction
    extra = 1
    can_delete = False
    fields = ("agency", "title", "description", "due_date", "status", "percent_complete")
    readonly_fields = ("status", "percent_complete")
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}

    def has_view_permission(self, request, obj=None):
        return is_secretariat_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return is_secretariat_staff(request.user) and obj is not None and obj.outcome in services.ADOPTED_OUTCOMES

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Decision)
class DecisionAdmin(ExportsChangelist, ShowsHistory, SecretariatAdmin):
    visible = staticmethod(visible_decisions)
    committee_path = DECISION_COMMITTEE
    list_display = ("number", "outcome", "proposal_reference", "meeting", "decided_at", "action_count")
    list_filter = (
        "outcome",
        ("agenda_item__meeting__committee", ReferenceFilter),
        "decided_at",
    )
    search_fields = ("number", "resolution", "agenda_item__proposal__reference", "agenda_item__proposal__title")
    list_select_related = ("agenda_item__meeting__committee", "agenda_item__proposal")
    date_hierarchy = "decided_at"
    inlines = (FollowUpActionInline,)
    fields = (
        "number",
        "agenda_item",
        "outcome",
        "resolution",
        "votes_for",
        "votes_against",
        "abstentions",
        "outcome_basis",
        "decided_at",
        "recorded_by",
        "public_register",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_count=Count("follow_up_actions"))

    # Decisions are recorded from the meeting's agenda ("Record decision") and are not edited afterwards;
    # the change page exists to assign follow-up actions.
    def has_add_permission(self, request):
        return False

    @admin.display(description=_("proposal"), ordering="agenda_item__proposal__reference")
    def proposal_reference(self, obj):
        return obj.agenda_item.proposal.reference if obj.agenda_item.proposal_id else ""

    @admin.display(description=_("meeting"), ordering="agenda_item__meeting__starts_at")
    def meeting(self, obj):
        return obj.agenda_item.meeting

    @admin.display(description=_("public register"))
    def public_register(self, obj):
        """Whether the public reads this decision, and where it is made public: the minutes desk, once the
        minutes are final (a decision page with no way there left the secretariat looking)."""
        desk = minutes_url(obj.agenda_item.meeting) + "#public"
        if obj.is_public:
            return format_html(
                '{} · <a href="{}">{}</a> · <a href="{}">{}</a>',
                gettext("Public since %(date)s") % {"date": date_format(localtime(obj.made_public_at), "Y-m-d")},
                reverse("register:decision", args=[obj.number]),
                gettext("View in the register"),
                desk,
                gettext("Change the public summary"),
            )
        if Minutes.objects.filter(meeting_id=obj.agenda_item.meeting_id, status=Minutes.Status.FINAL).exists():
            return format_html('{} <a href="{}">{}</a>', gettext("Not public."), desk, gettext("Make it public"))
        return format_html(
            '{} <a href="{}">{}</a>',
            gettext("Not public: a decision is made public once the minutes of its meeting are final."),
            minutes_url(obj.agenda_item.meeting),
            gettext("Minutes of the meeting"),
        )

    @admin.display(description=_("follow-up actions"), ordering="action_count")
    def action_count(self, obj):
        return obj.action_count

    def save_model(self, request, obj, form, change):
        """Nothing of the decision itself changes here."""

    def save_formset(self, request, form, formset, change):
        decision = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for action_form in formset.forms:
            if action_form.instance.pk is None and action_form.has_changed():
                data = action_form.cleaned_data
                formset.new_objects.append(
                    services.assign_follow_up_action(
                        decision,
                        by=request.user,
                        agency=data["agency"],
                        title=data["title"],
                        due_date=data["due_date"],
                        description=data.get("description", ""),
                    )
                )


class ProgressReportInline(ReadOnlyInline):
    model = ProgressReport
    fields = ("reported_on", "percent_complete", "reports_done", "text", "files", "reported_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reported_by").prefetch_related("attachments")

    @admin.display(description=_("files"))
    def files(self, obj):
        return file_links(obj.attachments.all(), "portal:progress_attachment")


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("Overdue")), ("no", _("Not overdue")))

    def queryset(self, request, queryset):
        overdue = FollowUpAction.objects.overdue().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return (("yes", _("Verified")), ("awaiting", _("Reported done, awaiting verification")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_stage(FollowUpAction.Stage.VERIFIED)
        if self.value() == "awaiting":
            return queryset.in_stage(FollowUpAction.Stage.REPORTED_DONE)
        return queryset


@admin.action(description=_("Verify the selected actions reported done"))
def verify_selected(modeladmin, request, queryset):
    run_on_selected(
        modeladmin,
        request,
        queryset,
        lambda action: services.verify_action(action, by=request.user),
        lambda done: gettext("Verified: %(actions)s.") % {"actions": done},
    )


@admin.action(description=_("Reopen the selected actions…"))
def reopen_selected(modeladmin, request, queryset):
    """Reopening needs a reason: an intermediate form first, applied when it comes back filled in."""
    form = CommentForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        run_on_selected(
            modeladmin,
            request,
            queryset,
            lambda action: services.reopen_action(action, by=request.user, comment=form.cleaned_data["comment"]),
            lambda done: gettext("Reopened: %(actions)s.") % {"actions": done},
        )
        return None
    return TemplateResponse(
        request,
        "admin/policies/service_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": gettext("Reopen follow-up actions"),
            "intro": gettext("Say why the report of done is not accepted; the agency sees this comment."),
            "objects": queryset,
            "form": form,
            "action_name": "reopen_selected",
            "selected": queryset.values_list("pk", flat=True),
            "submit_label": gettext("Reopen"),
            "cancel_url": modeladmin.changelist_url(),
        },
    )


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ExportsChangelist, ShowsHistory, SecretariatAdmin):
    visible = staticmethod(visible_actions)
    committee_path = ACTION_COMMITTEE
    list_display = (
        "title",
        "agency_acronym",
        "decision_number",
        "due_date",
        "status",
        "percent_complete",
        "overdue",
        "verified",
    )
    list_filter = (
        "status",
        OverdueFilter,
        VerifiedFilter,
        ("agency", ReferenceFilter),
        ("decision__agenda_item__meeting__committee", ReferenceFilter),
        "due_date",
    )
    search_fields = ("title", "description", "decision__number", "agency__acronym")
    list_select_related = ("agency", "decision")
    actions = (verify_selected, reopen_selected)
    inlines = (ProgressReportInline,)
    fields = (
        "decision",
        "agency",
        "title",
        "description",
        "due_date",
        "status",
        "percent_complete",
        "done_reported_at",
        "verified_by",
        "verified_at",
        "assigned_by",
        "created_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue_flag()

    # Actions are assigned on their decision's page and progress is reported by the agency.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # --- buttons on the change page -------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/verify/", wrap(self.verify_view), name="policies_followupaction_verify"),
            path("<path:object_id>/reopen/", wrap(self.reopen_view), name="policies_followupaction_reopen"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        action = self.get_object(request, object_id)
        buttons = []
        if action is not None and self.manages(request, action):
            buttons = workflow_buttons(FOLLOW_UP, allowed_actions(request.user, action), ACTION_BUTTONS, action.pk)
        extra_context = {**(extra_context or {}), "workflow_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

    def verify_view(self, request, object_id):
        action = self.get_managed_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.run_service(
            request, lambda: services.verify_action(action, by=request.user), gettext("The action is verified.")
        )
        return self.back_to(action)

    def reopen_view(self, request, object_id):
        action = self.get_managed_object(request, object_id)
        form = CommentForm(request.POST if request.method == "POST" else None, label=_("Why is it reopened?"))
        if request.method == "POST" and form.is_valid():
            self.run_service(
                request,
                lambda: services.reopen_action(action, by=request.user, comment=form.cleaned_data["comment"]),
                gettext("The action is in progress again."),
            )
            return self.back_to(action)
        return self.render_service_form(request, action, form, title=gettext("Reopen"))

    @admin.display(description=_("agency"), ordering="agency__acronym")
    def agency_acronym(self, obj):
        return obj.agency.acronym

    @admin.display(description=_("decision"), ordering="decision__number")
    def decision_number(self, obj):
        return obj.decision.number

    @admin.display(description=_("overdue"), ordering="is_overdue")
    def overdue(self, obj):
        return overdue_marker(obj.is_overdue)

    @admin.display(description=_("verified"), boolean=True, ordering="verified_at")
    def verified(self, obj):
        return obj.verified_at is not None
