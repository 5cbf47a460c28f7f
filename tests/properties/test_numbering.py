"""Reference numbers: unique and gap-free per committee, Seoul year and series, whatever the interleaving.

Each example runs in a savepoint that is rolled back, so every example starts from empty counters.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from policies import services
from policies.models import Proposal, ReferenceCounter
from tests import cast
from tests.properties import database_examples, rolled_back

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
SERIES = list(ReferenceCounter.Series.values)


class RolledBack(Exception):
    pass


takes = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # committee
        st.sampled_from([2026, 2027, 2028]),  # year
        st.sampled_from(SERIES),
        st.booleans(),  # the caller's transaction rolls back after taking its number
    ),
    min_size=1,
    max_size=30,
)


@pytest.fixture
def committees(db):
    return [cast.make_committee(code) for code in ("NBC", "NBC-FOOD", "NBC-HEALTH")]


@database_examples(max_examples=40)
@given(takes)
def test_counters_hand_out_one_two_three_per_committee_year_and_series_and_take_back_rolled_back_numbers(
    committees, operations
):
    def run():
        handed_out = {}  # (committee, year, series) -> numbers kept, in the order they were taken
        for index, year, series, rolls_back in operations:
            key = (committees[index].pk, year, series)
            expected = len(handed_out.get(key, [])) + 1  # a number given back is handed out again
            if rolls_back:
                with pytest.raises(RolledBack), transaction.atomic():
                    assert ReferenceCounter.next_number(*key) == expected
                    raise RolledBack
            else:
                assert ReferenceCounter.next_number(*key) == expected
                handed_out.setdefault(key, []).append(expected)
        kept = {
            (row.committee_id, row.year, row.series): row.last_number
            for row in ReferenceCounter.objects.filter(committee__in=committees)
        }
        assert kept == {key: len(numbers) for key, numbers in handed_out.items()}

    rolled_back(run)


# Minutes after 14:30 UTC on 31 December 2026: 23:30 KST on New Year's Eve to 01:30 KST on New Year's Day,
# when UTC still says 2026 and Seoul already says 2027.
NEW_YEAR_EVE = datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)
submissions = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1),  # committee
        st.integers(min_value=0, max_value=120),  # minutes after NEW_YEAR_EVE
        st.sampled_from(["submit", "submit then roll back", "submit, return, resubmit"]),
    ),
    min_size=1,
    max_size=10,
)


@database_examples(max_examples=15)
@given(submissions)
def test_references_across_seouls_new_year_are_consecutive_per_committee_and_seoul_year(
    committees, lead_liaison, secretariat, health, plan
):
    """Whatever the order of submissions, rollbacks and resubmissions around midnight in Seoul."""

    def run():
        drafts = [cast.make_proposal(committees[index], lead_liaison, health) for index, _, _ in plan]
        counted = {}  # (committee code, Seoul year) -> references handed out so far
        expected = {}  # draft pk -> reference it must end with
        for draft, (index, minutes, how) in sorted(zip(drafts, plan, strict=True), key=lambda pair: pair[1][1]):
            instant = NEW_YEAR_EVE + datetime.timedelta(minutes=minutes)
            code, year = committees[index].code, instant.astimezone(SEOUL).year
            with time_machine.travel(instant, tick=False):
                if how == "submit then roll back":
                    with pytest.raises(RolledBack), transaction.atomic():
                        services.submit_proposal(draft, by=lead_liaison)
                        raise RolledBack
                    continue
                submitted = services.submit_proposal(draft, by=lead_liaison)
                if how == "submit, return, resubmit":
                    services.start_review(submitted, by=secretariat)
                    services.return_proposal(submitted, by=secretariat, comment="Add the budget.")
                    submitted = services.submit_proposal(submitted, by=lead_liaison)
            number = counted.setdefault((code, year), 0) + 1
            counted[(code, year)] = number
            expected[draft.pk] = f"{code}-{year}-{number:04d}"
        references = dict(Proposal.objects.filter(pk__in=[d.pk for d in drafts]).values_list("pk", "reference"))
        assert {pk: ref for pk, ref in references.items() if ref is not None} == expected
        assert len(set(expected.values())) == len(expected)

    committees[1].agencies.add(lead_liaison.profile.agency)
    committees[1].secretariat.add(secretariat)
    rolled_back(run)
