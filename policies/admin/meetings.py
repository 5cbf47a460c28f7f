"""Meetings in the admin: the form and the agenda inline save through the services; buttons publish, hold, cancel."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Committee
from committee.directory.scope import can_manage_committee, is_secretariat_staff, managed_committee_ids
from policies import services
from policies.models import AgendaItem, Attendance, Meeting, Proposal
from policies.permissions import allowed_actions, visible_meetings
from policies.queries.meetings import quorum_status
from policies.workflow import MEETINGS, PROPOSALS

from .base import ReferenceFilter, SecretariatAdmin, run_on_form, run_on_selected, workflow_buttons
from .desk import MeetingDesk, quorum_text
from .forms import CommentForm, DecisionForm
from .history import ShowsHistory
from .minutes import MinutesDesk
from .papers import ShowsPapers
from .replies import invitation_replies

# Where each action of workflow.MEETINGS that a person starts is taken here; GET ones ask for a reason first.
MEETING_BUTTONS = {
    "publish_agenda": ("admin:policies_meeting_publish", "post"),
    "mark_held": ("admin:policies_meeting_held", "post"),
    "cancel": ("admin:policies_meeting_cancel", "get"),
}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ("position", "kind", "proposal", "title", "presenter", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 2, "cols": 30})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, a new item goes to the end of the agenda.
        self.fields["position"].required = False
        if self.instance.pk is None:
            self.initial.pop("position", None)
            self.fields["position"].initial = None
        self.position_given = True
        if self.instance.pk is not None:
            # The services change an item's wording and order, not what it is: to put another proposal on the
            # agenda, remove this item and add a new one.
            self.fields["kind"].disabled = True
            self.fields["proposal"].disabled = True

    def clean_position(self):
        # Left empty (None), the position is left out of the form's checks; the services number the agenda.
        position = self.cleaned_data.get("position")
        self.position_given = position is not None
        return position


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ("member", "status", "delegate_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["member"].disabled = True  # another member's attendance goes on a new row


class MeetingInline(admin.TabularInline):
    """Inline rows whose permissions follow the parent meeting and the secretariat policy."""

    extra = 0

    def _meeting_manageable(self, request, obj):
        if not is_secretariat_staff(request.user):
            return False
        return obj is None or can_manage_committee(request.user, obj.committee_id)

    def has_view_permission(self, request, obj=None):
        return self._meeting_manageable(request, obj)


class AgendaItemInline(MeetingInline):
    model = AgendaItem
    form = AgendaItemForm
    extra = 1
    ordering = ("position", "id")
    fields = ("position", "kind", "proposal", "title", "presenter", "notes")
    autocomplete_fields = ()

    def _editable(self, request, obj):
        return self._meeting_manageable(request, obj) and (obj is None or MEETINGS.allows(obj.status, "change"))

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal", "presenter")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "proposal" in formset.form.base_fields:
            # Only proposals the agenda may schedule (accepted ones) of the meeting's committee can be put on
            # its agenda; items already on it keep showing theirs.
            schedulable = PROPOSALS.states_allowing("schedule")
            if obj is None:
                committee_ids = managed_committee_ids(request.user)
                rule = Q(state__in=schedulable)
                if committee_ids is not None:
                    rule &= Q(committee_id__in=committee_ids)
            else:
                rule = Q(state__in=schedulable, committee_id=obj.committee_id) | Q(agenda_items__meeting=obj)
            formset.form.base_fields["proposal"].queryset = Proposal.objects.filter(rule).distinct()
        return formset


class AttendanceInline(MeetingInline):
    model = Attendance
    form = AttendanceForm
    fields = ("member", "status", "delegate_name")
    can_delete = False

    def _editable(self, request, obj):
        return (
            self._meeting_manageable(request, obj)
            and obj is not None
            and MEETINGS.allows(obj.status, "record_attendance")
        )

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and "member" in formset.form.base_fields:
            meeting_day = timezone.localtime(obj.starts_at).date()
            members = obj.committee.current_memberships(on=meeting_day).values("user_id")
            formset.form.base_fields["member"].queryset = get_user_model().objects.filter(pk__in=members)
        return formset


def _run_on_selected(modeladmin, request, queryset, verb, success):
    run_on_selected(
        modeladmin, request, queryset, lambda meeting: verb(meeting, by=request.user), lambda done: f"{success}: {done}"
    )


@admin.action(description=_("Publish the agenda of the selected meetings"))
def publish_selected(modeladmin, request, queryset):
    _run_on_selected(modeladmin, request, queryset, services.publish_agenda, gettext("Agenda published"))


@admin.action(description=_("Mark the selected meetings as held"))
def mark_held_selected(modeladmin, request, queryset):
    _run_on_selected(modeladmin, request, queryset, services.mark_meeting_held, gettext("Marked as held"))


@admin.action(description=_("Cancel the selected meetings"))
def cancel_selected(modeladmin, request, queryset):
    _run_on_selected(modeladmin, request, queryset, services.cancel_meeting, gettext("Cancelled"))


@admin.register(Meeting)
class MeetingAdmin(ShowsPapers, MeetingDesk, MinutesDesk, ShowsHistory, SecretariatAdmin):
    visible = staticmethod(visible_meetings)
    committee_path = "committee"
    list_display = ("title", "committee_code", "kind", "starts_at", "location", "status", "item_count", "desk")
    list_filter = ("status", "kind", ("committee", ReferenceFilter), "starts_at")
    search_fields = ("title", "location")
    list_select_related = ("committee",)
    date_hierarchy = "starts_at"
    actions = (publish_selected, mark_held_selected, cancel_selected)
    inlines = (AgendaItemInline, AttendanceInline)
    fieldsets = (
        (None, {"fields": ("committee", "title", "kind", "language", "status", "agenda_published_at")}),
        (_("When and where"), {"fields": ("starts_at", "ends_at", "location", "online_link", "submission_cutoff")}),
        (_("Quorum and decisions"), {"fields": ("quorum", "agenda_decisions")}),
        (_("Papers"), {"fields": ("papers",)}),
        (_("Replies to the invitation"), {"fields": ("invitation_replies",)}),
    )
    invitation_replies = invitation_replies

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:2]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "agenda_published_at", "quorum", "agenda_decisions", "invitation_replies", "papers"]
        if obj is not None:
            fields.append("committee")
            if not MEETINGS.allows(obj.status, "change"):
                fields += list(services.MEETING_FIELDS)
        return fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else (AgendaItemInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "online_link":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "committee":
            committee_ids = managed_committee_ids(request.user)
            queryset = Committee.objects.filter(is_active=True)
            kwargs["queryset"] = queryset if committee_ids is None else queryset.filter(pk__in=committee_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("committee"), ordering="committee__code")
    def committee_code(self, obj):
        return obj.committee.code

    @admin.display(description=_("agenda items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description=_("meeting desk"))
    def desk(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:policies_meeting_desk", args=[obj.pk]), gettext("Open the desk")
        )

    @admin.display(description=_("quorum"))
    def quorum(self, obj):
        return quorum_text(quorum_status(obj))

    @admin.display(description=_("decisions"))
    def agenda_decisions(self, obj):
        items = [
            item for item in obj.items.select_related("proposal", "decision") if item.kind == AgendaItem.Kind.PROPOSAL
        ]
        if not items:
            return gettext("No items for decision on this agenda.")
        can_decide = MEETINGS.allows(obj.status, "decide")
        rows = []
        for item in items:
            decision = getattr(item, "decision", None)
            if decision is not None:
                link = format_html(
                    '<a href="{}">{}</a>', reverse("admin:policies_decision_change", args=[decision.pk]), decision
                )
            elif can_decide:
                link = format_html(
                    '<a class="button" href="{}">{}</a>',
                    reverse("admin:policies_meeting_decide", args=[obj.pk, item.pk]),
                    gettext("Record decision"),
                )
            else:
                link = gettext("Decisions are recorded once the agenda is published.")
            rows.append((item.position, item.proposal.reference or "", item.display_title, link))
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}.</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    # --- saving through the services -------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            obj = self.get_object(request, object_id)
            if obj is not None:
                extra_context = {
                    **(extra_context or {}),
                    "workflow_buttons": self.workflow_buttons(request, obj),
                    "desk_url": reverse("admin:policies_meeting_desk", args=[obj.pk])
                    if self.manages(request, obj)
                    else "",
                }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {name: data[name] for name in services.MEETING_FIELDS if name in data}
            created = services.create_meeting(by=request.user, committee=data["committee"], **fields)
            # The inlines are bound to this instance: make it the row the service created.
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
            return
        changes = {name: data[name] for name in form.changed_data if name in services.MEETING_FIELDS}
        if changes:
            services.update_meeting(obj, by=request.user, changes=changes)
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is AgendaItem:
            self.save_agenda(request, form.instance, formset)
        elif formset.model is Attendance:
            self.save_attendance(request, form.instance, formset)
        else:  # pragma: no cover - every inline of this admin is handled above
            super().save_formset(request, form, formset, change)

    def save_agenda(self, request, meeting, formset):
        formset.save(commit=False)  # sorts the forms into new, changed and deleted objects without saving
        for item in formset.deleted_objects:
            services.remove_agenda_item(item, by=request.user)
        for item, changed in formset.changed_objects:
            changes = {name: getattr(item, name) for name in changed if name in services.AGENDA_ITEM_FIELDS}
            if changes:
                services.update_agenda_item(item, by=request.user, changes=changes)
        added = []
        for item_form in formset.forms:
            if item_form.instance.pk is None and item_form.has_changed() and not formset._should_delete_form(item_form):
                data = item_form.cleaned_data
                added.append(
                    services.add_agenda_item(
                        meeting,
                        by=request.user,
                        kind=data["kind"],
                        proposal=data.get("proposal"),
                        title=data.get("title", ""),
                        presenter=data.get("presenter"),
                        notes=data.get("notes", ""),
                        position=data["position"] if item_form.position_given else None,
                    )
                )
        formset.new_objects = added  # what the admin's history entry lists

    def save_attendance(self, request, meeting, formset):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for attendance_form in formset.forms:
            if not attendance_form.has_changed():
                continue
            data = attendance_form.cleaned_data
            attendance = services.record_attendance(
                meeting,
                by=request.user,
                member=data["member"],
                status=data["status"],
                delegate_name=data.get("delegate_name", ""),
            )
            if attendance_form.instance.pk is None:
                formset.new_objects.append(attendance)
            else:
                formset.changed_objects.append((attendance, attendance_form.changed_data))

    # --- buttons ----------------------------------------------------------------------------------

    def workflow_buttons(self, request, meeting):
        """A button for each action the meeting's workflow table offers the user now."""
        if not self.manages(request, meeting):
            return []
        return workflow_buttons(MEETINGS, allowed_actions(request.user, meeting), MEETING_BUTTONS, meeting.pk)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            *self.desk_urls(),
            *self.minutes_urls(),
            path("<path:object_id>/publish/", wrap(self.publish_view), name="policies_meeting_publish"),
            path("<path:object_id>/held/", wrap(self.held_view), name="policies_meeting_held"),
            path("<path:object_id>/cancel/", wrap(self.cancel_view), name="policies_meeting_cancel"),
            path(
                "<path:object_id>/items/<int:item_id>/decision/",
                wrap(self.decide_view),
                name="policies_meeting_decide",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id):
        meeting = self.get_managed_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.run_service(
            request, lambda: services.publish_agenda(meeting, by=request.user), gettext("The agenda is published.")
        )
        return self.back_to(meeting)

    def held_view(self, request, object_id):
        meeting = self.get_managed_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.run_service(
            request, lambda: services.mark_meeting_held(meeting, by=request.user), gettext("The meeting was held.")
        )
        return self.back_to(meeting)

    def cancel_view(self, request, object_id):
        meeting = self.get_managed_object(request, object_id)
        form = CommentForm(
            request.POST if request.method == "POST" else None, required=False, label=_("Reason (optional)")
        )
        if request.method == "POST" and form.is_valid():
            self.run_service(
                request,
                lambda: services.cancel_meeting(meeting, by=request.user, reason=form.cleaned_data["comment"]),
                gettext("The meeting is cancelled."),
            )
            return self.back_to(meeting)
        return self.render_service_form(
            request,
            meeting,
            form,
            title=gettext("Cancel meeting"),
            intro=gettext("Undecided proposals on its agenda go back to accepted; invitees are told."),
        )

    def decide_view(self, request, object_id, item_id):
        meeting = self.get_managed_object(request, object_id)
        item = get_object_or_404(AgendaItem.objects.select_related("proposal"), pk=item_id, meeting=meeting)
        form = DecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            decision = run_on_form(form, lambda: form.record(item, by=request.user))
            if decision is not None:
                self.message_user(
                    request, gettext("Decision %(number)s recorded.") % {"number": decision.number}, messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:policies_decision_change", args=[decision.pk]))
        return self.render_service_form(
            request,
            meeting,
            form,
            title=gettext("Record decision"),
            intro=gettext("Agenda item %(item)s") % {"item": item},
        )
