"""The migration that gives consultations and actions their reminder day: open ones start at their first stage
(the sweep catches up), answered, ended and done ones have none."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from committee.dates import seoul_today
from policies import services
from policies.models import Consultation, Decision, FollowUpAction, ProposalState

BEFORE = ("policies", "0021_order_indexes")
AFTER = ("policies", "0022_next_reminder_on")
DAY = datetime.timedelta(days=1)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_open_rows_start_at_their_first_stage_and_finished_ones_have_none(
    proposal_in_state, secretariat, mohw, motie, other_liaison
):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    deadline = seoul_today() + 10 * DAY
    answered, waiting = services.request_consultations(
        proposal, by=secretariat, agencies=[mohw, motie], deadline=deadline
    )
    services.give_opinion(answered, by=other_liaison, position="concur", opinion="")
    decision = Decision.objects.get(agenda_item__proposal=proposal_in_state(ProposalState.DECIDED, title="Decided"))
    due = seoul_today() + 30 * DAY
    unfinished, done = (
        services.assign_follow_up_action(decision, by=secretariat, agency=mohw, title=title, due_date=due)
        for title in ("Unfinished", "Done")
    )
    services.report_progress(done, by=other_liaison, text="Done", percent_complete=100, reports_done=True)
    try:
        migrate(BEFORE)
        migrate(AFTER)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("policies")[0])
    days = dict(Consultation.objects.values_list("pk", "next_reminder_on"))
    assert days == {waiting.pk: deadline - 3 * DAY, answered.pk: None}
    days = dict(FollowUpAction.objects.values_list("pk", "next_reminder_on"))
    assert days == {unfinished.pk: due - 7 * DAY, done.pk: None}
