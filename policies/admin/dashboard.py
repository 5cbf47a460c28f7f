"""The secretariat's dashboard: where proposals stand, what meets next, and what is late — in a fixed few queries."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from policies.models import Consultation, FollowUpAction, Meeting, PolicyArea, ProposalState
from policies.permissions import visible_actions, visible_consultations, visible_meetings, visible_proposals

from .base import restrict_to_managed

LATE_LIST_LIMIT = 50


def proposal_table(user) -> dict:
    """Proposals counted by policy area (rows) and state (columns), with totals; two queries."""
    proposals = restrict_to_managed(user, visible_proposals(user), "committee")
    counts = {
        (row["policy_area_id"], row["state"]): row["n"]
        for row in proposals.order_by().values("policy_area_id", "state").annotate(n=Count("id"))
    }
    states = list(ProposalState)
    changelist = reverse("admin:policies_proposal_changelist")
    rows = []
    for area in PolicyArea.objects.all():
        cells = [counts.get((area.pk, state.value), 0) for state in states]
        if area.is_active or any(cells):
            links = [
                f"{changelist}?{urlencode({'state': state.value, 'policy_area__id__exact': area.pk})}"
                for state in states
            ]
            rows.append(
                {
                    "area": area,
                    "cells": cells,
                    "cells_and_links": list(zip(cells, links, strict=True)),
                    "total": sum(cells),
                }
            )
    column_totals = [sum(row["cells"][i] for row in rows) for i in range(len(states))]
    return {"states": states, "rows": rows, "column_totals": column_totals, "total": sum(column_totals)}


def dashboard_context(user) -> dict:
    now = timezone.now()
    upcoming = (
        restrict_to_managed(user, visible_meetings(user), "committee")
        .filter(starts_at__gte=now, status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED])
        .select_related("committee")
        .annotate(item_count=Count("items"))
        .order_by("starts_at")[:20]
    )
    late_opinions = (
        restrict_to_managed(
            user, visible_consultations(user, Consultation.objects.past_deadline()), "proposal__committee"
        )
        .select_related("proposal", "agency")
        .order_by("deadline", "id")[:LATE_LIST_LIMIT]
    )
    overdue_actions = (
        restrict_to_managed(
            user, visible_actions(user, FollowUpAction.objects.overdue()), "decision__agenda_item__meeting__committee"
        )
        .select_related("agency", "decision")
        .order_by("due_date", "id")[:LATE_LIST_LIMIT]
    )
    return {
        "proposal_table": proposal_table(user),
        "upcoming_meetings": list(upcoming),
        "late_opinions": list(late_opinions),
        "overdue_actions": list(overdue_actions),
        "today": timezone.localdate(),
    }
