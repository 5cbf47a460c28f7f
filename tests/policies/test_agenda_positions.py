"""Agenda positions are 1..n, unique and without gaps, after every add, remove, move and reorder, even at once.

The services renumber under the meeting's row lock; the database refuses two items with one number at commit
(a deferred unique constraint), so even code that bypasses the services cannot leave two items numbered 2.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from policies import services
from policies.models import AgendaItem, ProposalState
from tests import cast
from tests.policies.test_numbering_concurrency import SUBMITTERS, take_numbers_at_once

BRIEFING = AgendaItem.Kind.BRIEFING


def agenda(meeting) -> list[tuple[int, str]]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "title"))


def add(meeting, by, title, position=None):
    return services.add_agenda_item(meeting, by=by, kind=BRIEFING, title=title, position=position)


@pytest.fixture
def meeting(committee, secretariat):
    return cast.make_meeting(committee, secretariat)


@pytest.fixture
def three(meeting, secretariat):
    return [add(meeting, secretariat, title) for title in ("A", "B", "C")]


@pytest.mark.django_db
def test_adding_at_a_taken_position_moves_the_rest_down(meeting, secretariat, three):
    add(meeting, secretariat, "X", position=2)
    assert agenda(meeting) == [(1, "A"), (2, "X"), (3, "B"), (4, "C")]


@pytest.mark.django_db
def test_a_position_beyond_the_end_or_below_one_is_clamped(meeting, secretariat, three):
    add(meeting, secretariat, "Last", position=40)
    add(meeting, secretariat, "First", position=0)
    assert agenda(meeting) == [(1, "First"), (2, "A"), (3, "B"), (4, "C"), (5, "Last")]


@pytest.mark.django_db
def test_removing_an_item_closes_the_gap(meeting, secretariat, three):
    services.remove_agenda_item(three[0], by=secretariat)
    assert agenda(meeting) == [(1, "B"), (2, "C")]


@pytest.mark.django_db
def test_removing_a_proposal_item_closes_the_gap_and_unschedules_it(meeting, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    add(meeting, secretariat, "Before")
    item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
    add(meeting, secretariat, "After")
    services.remove_agenda_item(item, by=secretariat)
    assert agenda(meeting) == [(1, "Before"), (2, "After")]


@pytest.mark.django_db
def test_moving_an_item_renumbers_the_others(meeting, secretariat, three):
    services.update_agenda_item(three[2], by=secretariat, changes={"position": 1})
    assert agenda(meeting) == [(1, "C"), (2, "A"), (3, "B")]
    services.update_agenda_item(three[2], by=secretariat, changes={"position": 9})
    assert agenda(meeting) == [(1, "A"), (2, "B"), (3, "C")]


@pytest.mark.django_db
def test_reordering_numbers_the_agenda_in_the_given_order(meeting, secretariat, three):
    services.reorder_agenda(meeting, by=secretariat, item_ids=[three[1].pk, three[2].pk, three[0].pk])
    assert agenda(meeting) == [(1, "B"), (2, "C"), (3, "A")]
    with pytest.raises(ValidationError):
        services.reorder_agenda(meeting, by=secretariat, item_ids=[three[1].pk, three[1].pk, three[0].pk])
    assert agenda(meeting) == [(1, "B"), (2, "C"), (3, "A")]


@pytest.mark.django_db
def test_the_database_refuses_two_items_numbered_2(meeting, secretariat, three):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=three[2].pk).update(position=2)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would do to the deferred constraint
    assert agenda(meeting) == [(1, "A"), (2, "B"), (3, "C")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_adds_to_one_agenda_get_distinct_gap_free_positions(committee, secretariat):
    meeting = cast.make_meeting(committee, secretariat)
    add(meeting, secretariat, "A")
    add(meeting, secretariat, "B")
    positions = take_numbers_at_once(lambda: add(meeting, secretariat, "Added at 2", position=2).position)
    assert all(position == 2 for position in positions)  # each went in at 2, pushing the earlier ones down
    numbers = [position for position, _title in agenda(meeting)]
    assert numbers == list(range(1, SUBMITTERS + 3))
    assert [title for _position, title in agenda(meeting)][-1] == "B"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_adds_at_the_end_never_share_a_number(committee, secretariat):
    meeting = cast.make_meeting(committee, secretariat)
    positions = take_numbers_at_once(lambda: add(meeting, secretariat, "Item").position)
    assert sorted(positions) == list(range(1, SUBMITTERS + 1))
