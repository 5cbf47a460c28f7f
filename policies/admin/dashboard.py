"""The secretariat's dashboard: where proposals stand, what meets next, and what is late — in a fixed few queries.

The figures are `policies.queries.dashboard`; this page restricts them to the committees the user staffs and
links each count to the proposals behind it.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from committee.directory.scope import restrict_to_managed
from policies.permissions import visible_actions, visible_consultations, visible_meetings, visible_proposals
from policies.queries import dashboard


def proposal_table(user) -> dict:
    """Proposals counted by policy area (rows) and state (columns), with totals and changelist links."""
    table = dashboard.proposals_by_area_and_state(restrict_to_managed(user, visible_proposals(user), "committee"))
    changelist = reverse("admin:policies_proposal_changelist")
    for row in table["rows"]:
        links = [
            f"{changelist}?{urlencode({'state': state.value, 'policy_area__id__exact': row['area'].pk})}"
            for state in table["states"]
        ]
        row["cells_and_links"] = list(zip(row["cells"], links, strict=True))
    return table


def dashboard_context(user) -> dict:
    meetings = restrict_to_managed(user, visible_meetings(user), "committee")
    consultations = restrict_to_managed(user, visible_consultations(user), "proposal__committee")
    actions = restrict_to_managed(user, visible_actions(user), "decision__agenda_item__meeting__committee")
    return {
        "proposal_table": proposal_table(user),
        "upcoming_meetings": dashboard.upcoming_meetings(meetings),
        "late_opinions": dashboard.late_opinions(consultations),
        "overdue_actions": dashboard.overdue_actions(actions),
        "today": timezone.localdate(),
    }
