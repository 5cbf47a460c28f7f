"""What a liaison's agency (or a member's committees) has to do, in full: every follow-up action and every
consultation one may see, filtered and paged. The home page shows the most urgent fifty of each; these pages
are where its "more" and the digests' "see all" lead."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from committee.dates import seoul_today
from committee.directory.scope import scope_of
from policies.models import Consultation, FollowUpAction
from policies.permissions import can_give_opinion, can_report_progress, visible_actions, visible_consultations

from .forms import WorkListForm
from .paging import capped_page

PAGE_SIZE = 25

ACTION_SHOWS = [
    ("unfinished", _("Not done")),
    ("overdue", _("Overdue")),
    ("done", _("Done")),
    ("all", _("All")),
]
CONSULTATION_SHOWS = [
    ("awaited", _("Awaiting an opinion")),
    ("overdue", _("Past the deadline, still awaited")),
    ("answered", _("Answered")),
    ("all", _("All")),
]


def _page_context(request, form: WorkListForm, rows) -> dict:
    page = capped_page(rows, PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode(), "today": seoul_today()}


@login_required
def action_list(request):
    user, scope, today = request.user, scope_of(request.user), seoul_today()
    form = WorkListForm(request.GET or None, shows=ACTION_SHOWS, liaison=bool(scope.agency_id))
    actions = visible_actions(user)
    if scope.agency_id and form.choice("whose") == "ours":
        actions = actions.filter(agency_id=scope.agency_id)
    show = form.choice("show")
    if show == "unfinished":
        actions = actions.unfinished()
    elif show == "overdue":
        actions = actions.overdue(today)
    elif show == "done":
        actions = actions.filter(status=FollowUpAction.Status.DONE)
    actions = actions.select_related("agency", "decision", "decision__agenda_item__meeting__committee")
    order = ("-due_date", "-id") if show == "done" else ("due_date", "id")
    context = _page_context(request, form, actions.order_by(*order))
    for action in context["page"]:  # its own agency's actions link to their progress page
        action.opens_progress = can_report_progress(user, action)
    return render(request, "portal/action_list.html", context)


@login_required
def consultation_list(request):
    user, scope, today = request.user, scope_of(request.user), seoul_today()
    form = WorkListForm(request.GET or None, shows=CONSULTATION_SHOWS, liaison=bool(scope.agency_id))
    consultations = visible_consultations(user)
    if scope.agency_id and form.choice("whose") == "ours":
        consultations = consultations.filter(agency_id=scope.agency_id)
    show = form.choice("show")
    if show == "awaited":
        consultations = consultations.outstanding()
    elif show == "overdue":
        consultations = consultations.outstanding().filter(deadline__lt=today)
    elif show == "answered":
        consultations = consultations.filter(status=Consultation.Status.ANSWERED)
    consultations = consultations.select_related("agency", "proposal", "proposal__lead_agency")
    order = ("-deadline", "-id") if show in ("answered", "all") else ("deadline", "id")
    context = _page_context(request, form, consultations.order_by(*order))
    for consultation in context["page"]:  # its own agency's consultations link to the opinion form
        consultation.opens_opinion = can_give_opinion(user, consultation)
    return render(request, "portal/consultation_list.html", context)
