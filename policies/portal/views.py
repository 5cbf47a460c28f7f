"""The liaison portal: thin views over the permission policy (what is visible) and the services (what changes)."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee.dates import seoul_today
from committee.directory import twofactor
from committee.directory.models import profile_of
from committee.directory.scope import scope_of
from policies import services
from policies.models import Consultation, DigestPreference, FollowUpAction, Meeting, ProposalState
from policies.permissions import (
    allowed_actions,
    can_edit_proposal,
    visible_actions,
    visible_attachments,
    visible_consultations,
    visible_meetings,
    visible_minutes,
    visible_proposals,
)
from policies.queries.consultations import NO_LONGER_ASKED, SILENT, consolidated_position
from policies.queries.meetings import attendance_counts, quorum_status
from policies.queries.preferences import email_choices_of
from policies.queries.proposals import opinion_files, return_reason
from policies.search import search_proposals
from policies.workflow import (
    PROPOSALS,
    TRANSITIONS,
    Actor,
)

from . import members
from .api_tokens import token_context
from .feeds import calendar_context, committee_feeds_context
from .forms import (
    OpinionForm,
    PreferencesForm,
    ProgressForm,
    ProposalFilterForm,
    TransitionForm,
    add_service_errors,
)
from .paging import capped_page
from .refusals import apply_form, refusals_as_pages

PAGE_SIZE = 25
HOME_LIST_LIMIT = 10  # proposals per state on the home page
HOME_URGENT_LIMIT = 50  # consultations and follow-up actions on the home page, the most urgent first


# --- home ----------------------------------------------------------------------------------------


def _liaison_lists(user, agency_id: int) -> dict:
    """The home page's lists for a liaison: the agency's proposals by state (the newest few of each), and the
    opinions and follow-up actions it owes, most urgent first."""
    context = {}
    ours = visible_proposals(user).filter(lead_agency_id=agency_id)
    counts = dict(ours.order_by().values_list("state").annotate(n=Count("id")))
    # An agency of a national committee leads thousands of proposals: each state shows its most recently
    # changed few and says how many there are, rather than rendering them all (bench/RESULTS.md).
    newest = (
        ours.annotate(
            rank=Window(RowNumber(), partition_by=[F("state")], order_by=[F("updated_at").desc(), F("id").desc()])
        )
        .filter(rank__lte=HOME_LIST_LIMIT)
        .select_related("committee", "policy_area")
        .order_by("state", "-updated_at", "-id")
    )
    by_state = {state: list(rows) for state, rows in groupby(newest, key=lambda proposal: proposal.state)}
    context["proposal_groups"] = [
        (label, by_state[value], counts[value], value) for value, label in ProposalState.choices if value in by_state
    ]
    context["home_list_limit"] = HOME_LIST_LIMIT
    # Still wanted: open, on a proposal not yet decided or withdrawn; past the deadline too (a late opinion).
    # The most urgent first, at most HOME_URGENT_LIMIT; one more is read to know whether there are more.
    consultations = list(
        visible_consultations(user)
        .filter(agency_id=agency_id)
        .outstanding()
        .select_related("proposal", "proposal__lead_agency")
        .order_by("deadline", "id")[: HOME_URGENT_LIMIT + 1]
    )
    context["consultations"] = consultations[:HOME_URGENT_LIMIT]
    context["more_consultations"] = len(consultations) > HOME_URGENT_LIMIT
    actions = list(
        visible_actions(user)
        .filter(agency_id=agency_id)
        .unfinished()
        .select_related("decision")
        .order_by("due_date", "id")[: HOME_URGENT_LIMIT + 1]
    )
    context["actions"] = actions[:HOME_URGENT_LIMIT]
    context["more_actions"] = len(actions) > HOME_URGENT_LIMIT
    context["home_urgent_limit"] = HOME_URGENT_LIMIT
    return context


@login_required
def home(request):
    user = request.user
    scope = scope_of(user)
    today = seoul_today()
    context = {"scope": scope, "today": today}
    if scope.agency_id:
        context.update(_liaison_lists(user, scope.agency_id))
    if scope.member_of:
        context.update(members.next_meeting(user))
        context["recent_proposals"] = (
            visible_proposals(user)
            .filter(committee_id__in=scope.member_of, submitted_at__isnull=False)
            .exclude(state=ProposalState.WITHDRAWN)
            .select_related("committee", "lead_agency", "policy_area")
            .order_by("-submitted_at")[:10]
        )
    if scope.is_secretariat:
        queue = visible_proposals(user).filter(state__in=PROPOSALS.states_awaiting(Actor.SECRETARIAT))
        if not scope.superuser:
            queue = queue.filter(committee_id__in=scope.staffed)
        context["review_queue"] = queue.select_related("committee", "lead_agency", "policy_area").order_by(
            "submitted_at"
        )[:20]
    if scope.readable_committees or scope.superuser:
        context["upcoming_meetings"] = (
            visible_meetings(user)
            .filter(starts_at__gte=timezone.now())
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("committee")
            .order_by("starts_at")[:10]
        )
    return render(request, "portal/home.html", context)


# --- proposals -----------------------------------------------------------------------------------


@login_required
def proposal_list(request):
    user = request.user
    form = ProposalFilterForm(request.GET or None)
    proposals = visible_proposals(user).select_related("committee", "lead_agency", "policy_area")
    if form.is_valid():
        data = form.cleaned_data
        proposals = search_proposals(proposals, data["q"])
        if data["state"]:
            proposals = proposals.filter(state=data["state"])
        if data["area"]:
            proposals = proposals.filter(Q(policy_area=data["area"]) | Q(secondary_areas=data["area"])).distinct()
    page = capped_page(proposals.order_by("-updated_at", "-id"), PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = scope_of(user)
    return render(
        request,
        "portal/proposal_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_draft": bool(scope.agency_id and scope.agency_committees),
        },
    )


def _visible_proposal(user, pk):
    return get_object_or_404(
        visible_proposals(user).select_related("committee", "lead_agency", "policy_area", "created_by", "submitted_by"),
        pk=pk,
    )


def _proposal_page(request, proposal, *, transition_form=None, status=200):
    user = request.user
    scope = scope_of(user)
    # consolidated_position reads proposal.consultations.all(): load them once, with their agencies.
    prefetch_related_objects(
        [proposal],
        Prefetch(
            "consultations",
            queryset=Consultation.objects.select_related("agency", "answered_by").order_by("agency__acronym"),
        ),
    )
    consultations = list(proposal.consultations.all())
    files = opinion_files(proposal)
    for consultation in consultations:
        consultation.files = files[consultation.pk]
    events = list(proposal.events.select_related("actor"))
    actions = [TRANSITIONS[action] for action in allowed_actions(user, proposal)]
    position = consolidated_position(proposal)
    context = {
        "proposal": proposal,
        "co_sponsors": proposal.co_sponsors.all(),
        "secondary_areas": proposal.secondary_areas.all(),
        "attachments": proposal.attachments.all(),
        "events": events,
        "consultations": consultations,
        "position_groups": [
            (label, position[value]) for value, label in Consultation.Position.choices if position[value]
        ],
        "silent": position[SILENT],
        "no_longer_asked": position[NO_LONGER_ASKED],
        "our_consultation": next((c for c in consultations if c.agency_id == scope.agency_id), None),
        "agenda_items": proposal.agenda_items.select_related("meeting", "decision"),
        "actions": actions,
        "transition_form": transition_form,
        "can_edit": can_edit_proposal(user, proposal),
        "return_reason": return_reason(proposal, events),
        "today": seoul_today(),
    }
    return render(request, "portal/proposal_detail.html", context, status=status)


@login_required
def proposal_detail(request, pk):
    return _proposal_page(request, _visible_proposal(request.user, pk))


@login_required
@require_POST
@refusals_as_pages
def proposal_transition(request, pk):
    proposal = _visible_proposal(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, transition_form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        proposal = services.transition_proposal(proposal, action, by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:  # input the action needs (a comment); refusals answer as pages
        add_service_errors(form, error)
        return _proposal_page(request, proposal, transition_form=form, status=400)
    messages.success(
        request,
        _("%(action)s: the proposal is now %(state)s.")
        % {"action": TRANSITIONS[action].label, "state": proposal.get_state_display().lower()},
    )
    return redirect("portal:proposal", pk=proposal.pk)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(visible_attachments(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
@refusals_as_pages
def attachment_remove(request, pk):
    attachment = get_object_or_404(visible_attachments(request.user).select_related("proposal"), pk=pk)
    services.remove_attachment(attachment, by=request.user)
    messages.success(request, _("Removed %(name)s.") % {"name": attachment.original_name})
    return redirect("portal:proposal_edit", pk=attachment.proposal_id)


# --- consultations and follow-up actions ---------------------------------------------------------


@login_required
@refusals_as_pages
def consultation_opinion(request, pk):
    user = request.user
    consultation = get_object_or_404(
        visible_consultations(user).select_related(
            "proposal", "proposal__committee", "proposal__lead_agency", "agency"
        ),
        pk=pk,
    )
    services.require_opinion_giver(consultation, by=user)
    status = 200
    if request.method == "POST":
        form = OpinionForm(request.POST)
        status = apply_form(form, lambda **fields: services.give_opinion(consultation, by=user, **fields))
        if status == 200:
            consultation.refresh_from_db(fields=["late"])
            if consultation.late:
                messages.success(request, _("Your opinion is recorded, marked late: the deadline had passed."))
            else:
                messages.success(request, _("Your opinion is recorded. You can revise it until the deadline."))
            return redirect("portal:proposal", pk=consultation.proposal_id)
    else:
        form = OpinionForm(initial={"position": consultation.position or None, "opinion": consultation.opinion})
    return render(
        request,
        "portal/opinion_form.html",
        {"form": form, "consultation": consultation, "takes_opinion": consultation.takes_opinion()},
        status=status,
    )


@login_required
@refusals_as_pages
def action_progress(request, pk):
    user = request.user
    action = get_object_or_404(
        visible_actions(user).select_related("agency", "decision", "decision__agenda_item__meeting"), pk=pk
    )
    services.require_progress_reporter(action, by=user)
    status = 200
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES)
        status = apply_form(form, lambda **fields: services.report_progress(action, by=user, **fields))
        if status == 200:
            messages.success(request, _("Progress reported."))
            return redirect("portal:action_progress", pk=action.pk)
    else:
        form = ProgressForm(initial={"percent_complete": action.percent_complete})
    return render(
        request,
        "portal/progress_form.html",
        {
            "form": form,
            "action": action,
            "reports": action.progress_reports.select_related("reported_by").prefetch_related("attachments"),
            "can_report": "report_progress" in allowed_actions(user, action),
            "today": seoul_today(),
        },
        status=status,
    )


# --- meetings ------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    meetings = visible_meetings(request.user).select_related("committee").order_by("-starts_at", "-id")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "now": timezone.now(), **committee_feeds_context(request)}
    return render(request, "portal/meeting_list.html", context)


@login_required
def meeting_detail(request, pk):
    user = request.user
    meeting = get_object_or_404(visible_meetings(user).select_related("committee"), pk=pk)
    items = meeting.items.select_related("proposal", "presenter", "decision").prefetch_related(
        Prefetch(
            "decision__follow_up_actions",
            queryset=FollowUpAction.objects.select_related("agency").order_by("due_date", "id"),
        )
    )
    scope = scope_of(user)
    return render(
        request,
        "portal/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "quorum": quorum_status(meeting),
            "attendance": attendance_counts(meeting),
            "agency_id": scope.agency_id,
            "minutes": visible_minutes(user).filter(meeting=meeting).first(),
            **members.reply_context(user, meeting),
        },
    )


@login_required
def preferences(request):
    """Language, email digest (how often, which policy areas) and how each kind of email reaches the user."""
    user = request.user
    preference = DigestPreference.objects.filter(user=user).prefetch_related("areas").first()
    profile = profile_of(user)
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        status = apply_form(form, lambda **fields: services.update_preferences(user, **fields))
        if status == 200:
            translation.activate(form.cleaned_data["language"])
            messages.success(request, _("Your settings are saved."))
            response = redirect("portal:preferences")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"])
            return response
    else:
        form = PreferencesForm(
            initial={
                "language": profile.language if profile else translation.get_language(),
                "frequency": preference.frequency if preference else DigestPreference.Frequency.WEEKLY,
                "areas": list(preference.areas.all()) if preference else [],
                **PreferencesForm.initial_email(email_choices_of(user)),
            }
        )
    context = {"form": form, "two_factor": twofactor.status(user), **token_context(user), **calendar_context(request)}
    return render(request, "portal/preferences.html", context, status=status)
