"""Reference and decision numbers stay unique when agencies act at the same instant (real connections).

Submitting a proposal locks its committee's row first, which already serialises submitters; so the counter
itself is also tested directly, with every caller's transaction held open until the others have a number
or are blocked behind it in PostgreSQL. A counter that reads and then writes hands out one number twice.
"""

import contextlib
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from policies import services
from policies.models import AgendaItem, Proposal, ReferenceCounter
from tests import cast

SUBMITTERS = 8


def run_at_once(functions):
    """Run each function in its own thread (own database connection), released together by a barrier."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # collected and re-raised in the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def lock_waiters() -> int:
    """Connections to this test database that are waiting for a lock another transaction holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def take_numbers_at_once(take, callers=SUBMITTERS) -> list[int]:
    """`callers` threads, each in its own transaction on its own connection, call `take` together.

    Each keeps its transaction open after taking its number until every caller either has a number too or
    is waiting for a lock in PostgreSQL: only then are the transactions let go, so no caller can read a
    number another caller committed first, unless the counter makes it wait for that commit.
    """
    start, holding = threading.Barrier(callers), threading.Barrier(callers)
    numbers, errors = [None] * callers, []

    def caller(index):
        try:
            with transaction.atomic():
                start.wait()
                numbers[index] = take()
                with contextlib.suppress(threading.BrokenBarrierError):
                    holding.wait()
        except Exception as error:  # collected and re-raised in the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=caller, args=(index,)) for index in range(callers)]
    for thread in threads:
        thread.start()
    give_up = time.monotonic() + 60
    while any(thread.is_alive() for thread in threads) and not holding.broken:
        if 0 < holding.n_waiting < callers and holding.n_waiting + lock_waiters() >= callers:
            holding.abort()  # the rest wait for the holders' commits: let the holders commit
        assert time.monotonic() < give_up, "callers neither finished nor blocked"
        time.sleep(0.005)
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return numbers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_counter_hands_distinct_consecutive_numbers_to_simultaneous_callers(committee):
    ReferenceCounter.objects.create(committee=committee, year=2026, series="proposal", last_number=41)
    numbers = take_numbers_at_once(lambda: ReferenceCounter.next_number(committee.pk, 2026, "proposal"))
    assert sorted(numbers) == list(range(42, 42 + SUBMITTERS))
    assert ReferenceCounter.objects.get(committee=committee, year=2026, series="proposal").last_number == 49


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_numbers_of_a_year_are_distinct_when_taken_at_once(committee):
    numbers = take_numbers_at_once(lambda: ReferenceCounter.next_number(committee.pk, 2027, "decision"))
    assert sorted(numbers) == list(range(1, SUBMITTERS + 1))
    assert ReferenceCounter.objects.filter(committee=committee, year=2027, series="decision").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_get_distinct_consecutive_references(committee, health):
    liaisons = [cast.make_liaison(cast.agency(acronym), f"liaison-{acronym.lower()}") for acronym in cast.AGENCIES]
    drafts = [cast.make_proposal(committee, liaisons[i % len(liaisons)], health) for i in range(SUBMITTERS)]

    def submitter(proposal):
        liaison = next(user for user in liaisons if user.profile.agency_id == proposal.lead_agency_id)
        return lambda: services.submit_proposal(Proposal.objects.get(pk=proposal.pk), by=liaison).reference

    references = run_at_once([submitter(proposal) for proposal in drafts])

    year = timezone.localtime(Proposal.objects.get(pk=drafts[0].pk).submitted_at).year  # Seoul's year
    assert sorted(references) == [f"NBC-{year}-{n:04d}" for n in range(1, SUBMITTERS + 1)]
    assert ReferenceCounter.objects.get(committee=committee, series="proposal").last_number == SUBMITTERS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_submission_gives_its_number_back(committee, lead_liaison, health):
    from django.db import transaction

    draft = cast.make_proposal(committee, lead_liaison, health)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_proposal(draft, by=lead_liaison)
        raise RuntimeError("the request failed after submitting")
    assert Proposal.objects.get(pk=draft.pk).reference is None
    submitted = services.submit_proposal(draft, by=lead_liaison)
    assert submitted.reference.endswith("-0001")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_decisions_get_distinct_numbers(committee, lead_liaison, secretariat, member, health):
    meeting = cast.make_meeting(committee, secretariat, days_ahead=-1)
    items = []
    for _ in range(4):
        proposal = cast.proposal_in_state(
            "accepted", committee=committee, liaison=lead_liaison, secretariat=secretariat, area=health
        )
        items.append(
            services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
        )
    services.publish_agenda(meeting, by=secretariat)
    cast.attend_all(meeting, secretariat)

    def decider(item):
        return lambda: (
            services.record_decision(
                AgendaItem.objects.get(pk=item.pk), by=secretariat, outcome="adopted", resolution="Adopted."
            ).number
        )

    numbers = run_at_once([decider(item) for item in items])
    assert len(set(numbers)) == 4
    assert sorted(n.rsplit("-", 1)[1] for n in numbers) == ["001", "002", "003", "004"]
