"""The migration that gives consultations their lifecycle: answered rows become answered (late when first
answered after their deadline day, in Seoul), the others stay open."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from committee.dates import seoul_today
from policies import services
from policies.models import Consultation, ProposalState
from tests import cast

BEFORE = ("policies", "0009_agenda_item_unique_position")
AFTER = ("policies", "0010_consultation_lifecycle")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_consultations_get_their_status_and_late_mark(proposal_in_state, secretariat, mohw, motie):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    due = seoul_today() + datetime.timedelta(days=3)
    agencies = [mohw, motie, cast.agency("MAFRA")]
    on_time, late, waiting = services.request_consultations(proposal, by=secretariat, agencies=agencies, deadline=due)
    try:
        old = migrate(BEFORE).get_model("policies", "Consultation")
        # 23:30 in Seoul on the deadline day is on time; 00:30 the next day is late, though UTC says otherwise.
        seoul = datetime.timezone(datetime.timedelta(hours=9))
        answered = {
            on_time.pk: datetime.datetime.combine(due, datetime.time(23, 30), tzinfo=seoul),
            late.pk: datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(0, 30), tzinfo=seoul),
        }
        for pk, moment in answered.items():
            old.objects.filter(pk=pk).update(answered_at=moment, position="concur")
        migrate(AFTER)
    finally:
        # Back to the newest migration, whatever came after this one, so the tests after this see today's tables.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("policies")[0])
    rows = {c.pk: (c.status, c.late) for c in Consultation.objects.all()}
    assert rows == {on_time.pk: ("answered", False), late.pk: ("answered", True), waiting.pk: ("open", False)}
