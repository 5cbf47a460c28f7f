"""Reads for the secretariat's dashboard: proposals by area and state, the next meetings, what is late.

Each takes the rows the caller may show (already restricted by `policies.permissions` and the face) and
returns figures in a fixed few queries.
"""

from django.db.models import Count, QuerySet
from django.utils import timezone

from policies.models import Meeting, PolicyArea, ProposalState
from policies.workflow import MEETINGS

UPCOMING_LIMIT = 20
LATE_LIST_LIMIT = 50


def proposals_by_area_and_state(proposals: QuerySet) -> dict:
    """Counts by policy area (rows) and state (columns), with totals; two queries.

    Retired areas appear only while they still hold proposals.
    """
    counts = {
        (row["policy_area_id"], row["state"]): row["n"]
        for row in proposals.order_by().values("policy_area_id", "state").annotate(n=Count("id"))
    }
    states = list(ProposalState)
    rows = []
    for area in PolicyArea.objects.all():
        cells = [counts.get((area.pk, state.value), 0) for state in states]
        if area.is_active or any(cells):
            rows.append({"area": area, "cells": cells, "total": sum(cells)})
    column_totals = [sum(row["cells"][i] for row in rows) for i in range(len(states))]
    return {"states": states, "rows": rows, "column_totals": column_totals, "total": sum(column_totals)}


def upcoming_meetings(meetings: QuerySet, *, limit: int = UPCOMING_LIMIT) -> list[Meeting]:
    """The next meetings still to be held, soonest first, each with its number of agenda items."""
    return list(
        meetings.filter(starts_at__gte=timezone.now(), status__in=MEETINGS.open_states)
        .select_related("committee")
        .annotate(item_count=Count("items"))
        .order_by("starts_at")[:limit]
    )


def late_opinions(consultations: QuerySet, *, limit: int = LATE_LIST_LIMIT) -> list:
    """Consultations still unanswered after their deadline, the longest overdue first."""
    return list(consultations.past_deadline().select_related("proposal", "agency").order_by("deadline", "id")[:limit])


def overdue_actions(actions: QuerySet, *, limit: int = LATE_LIST_LIMIT) -> list:
    """Unfinished follow-up actions past their due date, the longest overdue first."""
    return list(actions.overdue().select_related("agency", "decision").order_by("due_date", "id")[:limit])
