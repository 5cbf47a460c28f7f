"""The meeting desk: one page per meeting where its secretariat runs it, agenda, attendance and decisions in order.

Every button is a plain POST form calling one service verb (drag and drop only fills the reorder form), so the
desk works without JavaScript and from the keyboard. A refusal of a verb that took typed input comes back as the
desk with that form filled in and the reason on it; a refused button comes back as a message.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from committee.directory.models import CommitteeMembership
from committee.directory.scope import restrict_to_managed
from policies import notifications, services
from policies.models import AgendaItem, Decision, Meeting, Proposal
from policies.queries.carry_over import agenda_suggestions
from policies.queries.meetings import attendance_replies, quorum_status
from policies.queries.minutes import minutes_of
from policies.workflow import MEETINGS, PROPOSALS

from .base import attempt, run_on_form
from .desk_forms import AgendaSuggestionsForm, AttendanceSheetForm, FollowUpActionForm, person_name
from .forms import DecisionForm

PLACEABLE_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED)


class PlaceOnAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())


def desk_url(meeting, anchor: str = "") -> str:
    return reverse("admin:policies_meeting_desk", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def attendance_rows(meeting) -> list[dict]:
    """Every member on the meeting day, by name and role, with what is recorded for them so far; a member with
    nothing recorded yet starts from their reply to the invitation (queries.meetings.attendance_replies)."""
    recorded = {attendance.member_id: attendance for attendance in meeting.attendances.all()}
    rows = []
    for row in attendance_replies(meeting):
        attendance = recorded.get(row.member.pk)
        reply = row.reply
        rows.append(
            {
                "member": row.member,
                "name": person_name(row.member),
                "role": CommitteeMembership.Role(row.role).label,
                "reply": reply.get_answer_display() if reply else "",
                "status": attendance.status if attendance else (row.attendance_status or ""),
                "delegate_name": attendance.delegate_name if attendance else (reply.delegate_name if reply else ""),
            }
        )
    return sorted(rows, key=lambda row: row["name"])


def agenda_of(meeting) -> list[AgendaItem]:
    return list(
        meeting.items.select_related("proposal", "presenter", "decision")
        .prefetch_related("decision__follow_up_actions__agency")
        .order_by("position", "pk")
    )


def has_decision(item) -> bool:
    try:
        return item.decision is not None
    except Decision.DoesNotExist:
        return False


def decision_rows(meeting, items, bound: dict) -> list[dict]:
    """Per item for decision: its decision and follow-up actions with a form to assign one, or a form to decide."""
    can_decide = MEETINGS.allows(meeting.status, "decide")
    rows = []
    for item in items:
        if item.kind != AgendaItem.Kind.PROPOSAL:
            continue
        row = {"item": item, "decision": None, "form": None, "action_form": None, "url": ""}
        if has_decision(item):
            decision = row["decision"] = item.decision
            if decision.outcome in services.ADOPTED_OUTCOMES:
                row["action_form"] = bound.get(f"action-{decision.pk}") or FollowUpActionForm(
                    committee=meeting.committee_id, prefix=f"action-{decision.pk}"
                )
                row["url"] = reverse("admin:policies_meeting_desk_action", args=[meeting.pk, decision.pk])
        elif can_decide:
            row["form"] = bound.get(f"decision-{item.pk}") or DecisionForm(prefix=f"decision-{item.pk}")
            row["url"] = reverse("admin:policies_meeting_desk_decision", args=[meeting.pk, item.pk])
        rows.append(row)
    return rows


def quorum_text(status: dict) -> str:
    if not status["recorded"]:
        return gettext("%(members)s members; %(required)s make a quorum. No attendance recorded yet.") % status
    verdict = gettext("quorum reached") if status["has_quorum"] else gettext("no quorum")
    return gettext("%(attending)s of %(members)s members attend; %(required)s needed: %(verdict)s.") % {
        **status,
        "verdict": verdict,
    }


class MeetingDesk:
    """Mixed into the meeting admin: the desk's page and the verbs behind its buttons and forms."""

    def desk_urls(self) -> list:
        wrap = self.admin_site.admin_view
        desk = "<int:object_id>/desk/"
        return [
            path(desk, wrap(self.desk_view), name="policies_meeting_desk"),
            path(f"{desk}suggestions/", wrap(self.desk_suggestions_view), name="policies_meeting_desk_suggestions"),
            path(f"{desk}items/<int:item_id>/move/", wrap(self.desk_move_view), name="policies_meeting_desk_move"),
            path(
                f"{desk}items/<int:item_id>/remove/", wrap(self.desk_remove_view), name="policies_meeting_desk_remove"
            ),
            path(f"{desk}reorder/", wrap(self.desk_reorder_view), name="policies_meeting_desk_reorder"),
            path(f"{desk}publish/", wrap(self.desk_publish_view), name="policies_meeting_desk_publish"),
            path(f"{desk}attendance/", wrap(self.desk_attendance_view), name="policies_meeting_desk_attendance"),
            path(
                f"{desk}items/<int:item_id>/decision/",
                wrap(self.desk_decision_view),
                name="policies_meeting_desk_decision",
            ),
            path(
                f"{desk}decisions/<int:decision_id>/action/",
                wrap(self.desk_action_view),
                name="policies_meeting_desk_action",
            ),
            path("place/<int:proposal_id>/", wrap(self.place_proposal_view), name="policies_meeting_place"),
        ]

    # --- the page -----------------------------------------------------------------------------------

    def desk_meeting(self, request, object_id) -> Meeting:
        """The meeting, if the user staffs its committee: 404 for another committee's (get_managed_object)."""
        return self.get_managed_object(request, object_id)

    def desk_view(self, request, object_id, bound=None):
        meeting = self.desk_meeting(request, object_id)
        return self.render_desk(request, meeting, bound or {})

    def render_desk(self, request, meeting, bound: dict):
        items = agenda_of(meeting)
        can_change = MEETINGS.allows(meeting.status, "change")
        can_publish = MEETINGS.allows(meeting.status, "publish_agenda")
        rows = attendance_rows(meeting)
        quorum = quorum_status(meeting)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "meeting": meeting,
            "title": gettext("Meeting desk: %(meeting)s") % {"meeting": meeting.title},
            "items": items,
            "can_change": can_change,
            "can_publish": can_publish and bool(items),
            "suggestions_form": self.suggestions_form(request, meeting, bound) if can_change else None,
            "recipient_count": len(notifications.invitation_recipients(meeting)) if can_publish else 0,
            "can_record_attendance": MEETINGS.allows(meeting.status, "record_attendance"),
            "attendance_form": bound.get("attendance") or AttendanceSheetForm(rows=rows),
            "quorum": quorum,
            "quorum_text": quorum_text(quorum),
            "delegates_count": meeting.committee.delegates_count_for_quorum,
            "decision_rows": decision_rows(meeting, items, bound),
            "change_url": self.change_url(meeting),
            "minutes": minutes_of(meeting),
        }
        return TemplateResponse(request, "admin/policies/meeting_desk.html", context)

    def back_to_desk(self, request, meeting, call, success: str, anchor: str):
        """A button's verb: its message, then the desk again (a refusal changed nothing and says why)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.run_service(request, call, success)
        return HttpResponseRedirect(desk_url(meeting, anchor))

    # --- agenda -------------------------------------------------------------------------------------

    def suggestions_form(self, request, meeting, bound: dict, data=None) -> AgendaSuggestionsForm:
        """The carry-over suggestions for this agenda as a form of checkboxes (a refused one as it came back)."""
        if "suggestions" in bound:
            return bound["suggestions"]
        offered = agenda_suggestions(meeting, user=request.user)
        return AgendaSuggestionsForm(data, suggestions=offered, prefix="carry")

    def desk_suggestions_view(self, request, object_id):
        """Add the ticked suggestions to the agenda in one go (services.add_agenda_items): all or none."""
        meeting = self.desk_meeting(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        _allowed, refusal = attempt(lambda: services.check_meeting_action(meeting, "change", by=request.user))
        if refusal is not None:  # the agenda is closed: the desk no longer shows suggestions to keep an error on
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(desk_url(meeting, "agenda"))
        form = self.suggestions_form(request, meeting, {}, data=request.POST)
        if form.is_valid():
            items = form.ticked_items()
            added = run_on_form(form, lambda: services.add_agenda_items(meeting, by=request.user, items=items))
            if added is not None:
                message = ngettext(
                    "%(count)d item added to the agenda.", "%(count)d items added to the agenda.", len(added)
                ) % {"count": len(added)}
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(desk_url(meeting, "agenda"))
        return self.render_desk(request, meeting, {"suggestions": form})

    def desk_item(self, meeting, item_id) -> AgendaItem:
        return get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)

    def desk_move_view(self, request, object_id, item_id):
        meeting = self.desk_meeting(request, object_id)
        item = self.desk_item(meeting, item_id)
        step = -1 if request.POST.get("direction") == "up" else 1
        return self.back_to_desk(
            request,
            meeting,
            lambda: services.update_agenda_item(
                item, by=request.user, changes={"position": max(item.position + step, 1)}
            ),
            gettext("The agenda is reordered."),
            f"item-{item.pk}",
        )

    def desk_remove_view(self, request, object_id, item_id):
        meeting = self.desk_meeting(request, object_id)
        item = self.desk_item(meeting, item_id)
        return self.back_to_desk(
            request,
            meeting,
            lambda: services.remove_agenda_item(item, by=request.user),
            gettext("The item is off the agenda."),
            "agenda",
        )

    def desk_reorder_view(self, request, object_id):
        meeting = self.desk_meeting(request, object_id)
        try:
            item_ids = [int(value) for value in request.POST.getlist("item")]
        except ValueError:
            item_ids = []  # the service refuses an order that does not name every item once
        return self.back_to_desk(
            request,
            meeting,
            lambda: services.reorder_agenda(meeting, by=request.user, item_ids=item_ids),
            gettext("The agenda is reordered."),
            "agenda",
        )

    def desk_publish_view(self, request, object_id):
        """Ask first, naming everyone the invitation will reach; publish on the confirming POST."""
        meeting = self.desk_meeting(request, object_id)
        if request.method == "POST":
            return self.back_to_desk(
                request,
                meeting,
                lambda: services.publish_agenda(meeting, by=request.user),
                gettext("The agenda is published."),
                "agenda",
            )
        recipients = notifications.invitation_recipients(meeting)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "title": gettext("Publish the agenda of %(meeting)s") % {"meeting": meeting.title},
            "recipients": sorted(person_name(person) for person in recipients),
            "desk_url": desk_url(meeting),
        }
        return TemplateResponse(request, "admin/policies/meeting_desk_publish.html", context)

    # --- attendance and decisions: forms that come back filled in when refused ---------------------

    def desk_attendance_view(self, request, object_id):
        meeting = self.desk_meeting(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = AttendanceSheetForm(request.POST, rows=attendance_rows(meeting))
        if form.is_valid():
            rows = form.marked_rows(all_present=bool(request.POST.get("all_present")))
            if not rows:
                form.add_error(None, gettext("Mark at least one member present, absent or represented."))
            elif run_on_form(form, lambda: services.record_attendance_sheet(meeting, by=request.user, rows=rows)):
                self.message_user(request, gettext("Attendance recorded."), messages.SUCCESS)
                return HttpResponseRedirect(desk_url(meeting, "attendance"))
        return self.render_desk(request, meeting, {"attendance": form})

    def desk_decision_view(self, request, object_id, item_id):
        meeting = self.desk_meeting(request, object_id)
        item = self.desk_item(meeting, item_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = DecisionForm(request.POST, prefix=f"decision-{item.pk}")
        if form.is_valid():
            decision = run_on_form(form, lambda: form.record(item, by=request.user))
            if decision is not None:
                message = gettext("Decision %(number)s recorded.") % {"number": decision.number}
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(desk_url(meeting, f"decision-{item.pk}"))
        return self.render_desk(request, meeting, {f"decision-{item.pk}": form})

    def desk_action_view(self, request, object_id, decision_id):
        meeting = self.desk_meeting(request, object_id)
        decision = get_object_or_404(
            Decision.objects.select_related("agenda_item__meeting"), pk=decision_id, agenda_item__meeting=meeting
        )
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = FollowUpActionForm(request.POST, committee=meeting.committee_id, prefix=f"action-{decision.pk}")
        if form.is_valid():
            data = form.cleaned_data
            action = run_on_form(form, lambda: services.assign_follow_up_action(decision, by=request.user, **data))
            if action is not None:
                self.message_user(request, gettext("Follow-up action assigned."), messages.SUCCESS)
                return HttpResponseRedirect(desk_url(meeting, f"decision-{decision.agenda_item_id}"))
        return self.render_desk(request, meeting, {f"action-{decision.pk}": form})

    # --- from an accepted proposal's page -----------------------------------------------------------

    def place_proposal_view(self, request, proposal_id):
        """Choose one of the committee's planned or published meetings and put the proposal on its agenda."""
        proposal = get_object_or_404(self.placeable_proposals(request), pk=proposal_id)
        meetings = self.get_queryset(request).filter(committee_id=proposal.committee_id, status__in=PLACEABLE_STATUSES)
        form = PlaceOnAgendaForm(request.POST if request.method == "POST" else None)
        form.fields["meeting"].queryset = meetings.order_by("starts_at")
        if request.method == "POST" and form.is_valid():
            meeting = form.cleaned_data["meeting"]
            item, refusal = attempt(lambda: services.add_agenda_item(meeting, by=request.user, proposal=proposal))
            if refusal is None:
                self.message_user(request, gettext("The proposal is on the agenda."), messages.SUCCESS)
                return HttpResponseRedirect(desk_url(meeting, f"item-{item.pk}"))
            form.add_error(None, refusal)
        return self.render_service_form(
            request,
            None,
            form,
            title=gettext("Place on agenda"),
            intro=str(proposal),
            extra={"cancel_url": reverse("admin:policies_proposal_change", args=[proposal.pk])},
        )

    def placeable_proposals(self, request):
        proposals = Proposal.objects.filter(state__in=PROPOSALS.states_allowing("schedule"))
        return restrict_to_managed(request.user, proposals, "committee")
