"""The register's reads (policies/queries/register.py): only public decisions, only public fields, searchable
in Korean and English, filterable, newest first, paginated, at a constant number of queries."""

import dataclasses
import datetime
import zoneinfo

import pytest

from policies.models import Decision, FollowUpAction, PolicyArea
from policies.queries import register
from policies.queries.register import RegisterEntry, RegisterQuery

from .conftest import RESOLUTION

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
Status = FollowUpAction.Status


def numbers(query=None, page=None):
    return [entry.number for entry in register.register_page(query or RegisterQuery(), page).object_list]


def test_an_entry_holds_the_public_fields_and_nothing_else():
    # A new field here is a new thing told to the world: this list is the register's promise (README).
    assert {field.name for field in dataclasses.fields(RegisterEntry)} == {
        "number",
        "decided_on",
        "committee_code",
        "committee_name",
        "title",
        "policy_area",
        "outcome",
        "outcome_label",
        "public_summary",
        "made_public_at",
        "actions",
    }


def test_only_decisions_made_public_are_listed_and_found(decide):
    public = decide("공개된 안건", "공개 요약")
    hidden = decide("비공개 안건", summary=None)
    assert numbers() == [public.number]
    assert register.public_entry(public.number).title == "공개된 안건"
    assert register.public_entry(hidden.number) is None
    assert register.public_entry("NO-SUCH-NUMBER") is None
    assert [entry.number for entry in register.latest_entries()] == [public.number]


def test_an_entry_tells_number_date_committee_title_area_outcome_summary_and_action_counts(decide, assign):
    decided_at = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC)  # 5 March in Seoul
    decision = decide(
        "바이오 제조 실증 지원",
        "실증 시설 두 곳을 지원하기로 했다.",
        decided_at=decided_at,
        outcome=Decision.Outcome.ADOPTED_WITH_AMENDMENTS,
    )
    assign(decision, Status.OPEN, Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.DONE, Status.DONE)
    entry = register.public_entry(decision.number)
    assert entry.number == decision.number
    assert entry.decided_on == datetime.date(2026, 3, 5)
    assert (entry.committee_code, entry.committee_name) == ("NBC", "National Bio Committee")
    assert entry.title == "바이오 제조 실증 지원"
    assert entry.policy_area == "Health care"
    assert (entry.outcome, entry.outcome_label) == ("adopted_with_amendments", "Adopted with amendments")
    assert entry.public_summary == "실증 시설 두 곳을 지원하기로 했다."
    assert (entry.actions.open, entry.actions.in_progress, entry.actions.done) == (2, 1, 3)
    assert RESOLUTION not in repr(entry)


@pytest.mark.parametrize(
    "text, found",
    [
        ("바이오", {"korean"}),  # Korean in the title
        ("실증 시설", {"korean"}),  # two Korean words, both required, one in the summary
        ("pilot", {"english"}),  # English, any case
        ("PILOT plants", {"english"}),
        ("summary-only-word", {"english"}),
        ("", {"korean", "english"}),
        ("바이오 pilot", set()),  # every word must match the same decision
        ("INTERNAL-RESOLUTION-TEXT", set()),  # the resolution is not public, so not searchable either
        ("내부", set()),
    ],
)
def test_search_looks_in_number_title_and_public_summary_in_korean_and_english(decide, text, found):
    decisions = {
        "korean": decide("바이오 제조 실증 지원", "실증 시설 두 곳"),
        "english": decide("Bio pilot plants", "A summary-only-word here."),
    }
    expected = {decisions[key].number for key in found}
    assert set(numbers(RegisterQuery(text=text))) == expected


def test_search_finds_a_decision_by_its_number(decide):
    first, second = decide("One"), decide("Two")
    assert numbers(RegisterQuery(text=second.number)) == [second.number]
    assert numbers(RegisterQuery(text=first.number.lower())) == [first.number]


def test_filters_by_committee_policy_area_and_year(decide, health_committee, health_secretariat, lead_liaison):
    food = PolicyArea.objects.get(code="food")
    in_2025 = datetime.datetime(2025, 12, 31, 23, 0, tzinfo=SEOUL)
    in_2026 = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=SEOUL)  # still 2025 in UTC: the year is Seoul's
    plenary_2025 = decide("Plenary 2025", decided_at=in_2025)
    plenary_food_2026 = decide("Plenary food 2026", area=food, decided_at=in_2026)
    health_2026 = decide("Health 2026", on=health_committee, by=health_secretariat, decided_at=in_2026)
    secondary_food = decide("Health, food second", on=health_committee, by=health_secretariat, decided_at=in_2026)
    secondary_food.agenda_item.proposal.secondary_areas.add(food)

    assert set(numbers(RegisterQuery(committee="NBC"))) == {plenary_2025.number, plenary_food_2026.number}
    assert set(numbers(RegisterQuery(committee="NBC-HEALTH"))) == {health_2026.number, secondary_food.number}
    assert set(numbers(RegisterQuery(area="food"))) == {plenary_food_2026.number, secondary_food.number}
    assert numbers(RegisterQuery(year=2025)) == [plenary_2025.number]
    assert len(numbers(RegisterQuery(year=2026))) == 3
    assert numbers(RegisterQuery(committee="NBC", area="food", year=2026)) == [plenary_food_2026.number]
    assert numbers(RegisterQuery(committee="NOPE")) == []

    choices = register.filter_choices()
    assert [code for code, _ in choices.committees] == ["NBC", "NBC-HEALTH"]
    assert choices.years == [2026, 2025]
    assert "food" in dict(choices.areas)


def test_the_filters_offer_no_committee_whose_decisions_are_all_unpublished(
    decide, health_committee, health_secretariat
):
    decide("Public")
    decide("Internal", on=health_committee, by=health_secretariat, summary=None)
    assert [code for code, _ in register.filter_choices().committees] == ["NBC"]


def test_newest_decision_first_and_paginated(decide):
    start = datetime.datetime(2026, 5, 1, 10, 0, tzinfo=SEOUL)
    made = [decide(f"Decision {day}", decided_at=start + datetime.timedelta(days=day)) for day in range(5)]
    newest_first = [decision.number for decision in reversed(made)]
    assert numbers() == newest_first
    page_one = register.register_page(RegisterQuery(), 1, per_page=2)
    page_three = register.register_page(RegisterQuery(), 3, per_page=2)
    assert [entry.number for entry in page_one.object_list] == newest_first[:2]
    assert [entry.number for entry in page_three.object_list] == newest_first[4:]
    assert page_one.paginator.num_pages == 3
    assert register.register_page(RegisterQuery(), "99", per_page=2).number == 3  # out of range: the last page


def test_the_feed_lists_what_was_made_public_most_recently_first(decide):
    start = datetime.datetime(2026, 5, 1, 10, 0, tzinfo=SEOUL)
    old_but_just_published = decide("Old", decided_at=start, made_public_at=start + datetime.timedelta(days=30))
    recent = decide(
        "Recent", decided_at=start + datetime.timedelta(days=10), made_public_at=start + datetime.timedelta(days=11)
    )
    assert [entry.number for entry in register.latest_entries()] == [old_but_just_published.number, recent.number]
    assert register.last_made_public_at() == start + datetime.timedelta(days=30)


def test_a_page_costs_the_same_queries_with_few_or_many_decisions_and_actions(
    decide, assign, django_assert_num_queries
):
    def read_page():
        page = register.register_page(RegisterQuery(text="pilot", area="health"), 1)
        choices = register.filter_choices()
        return len(page.object_list), choices

    first = decide("Pilot one")
    assign(first, Status.OPEN, Status.DONE)
    with django_assert_num_queries(5):  # count, rows with their counts; committees, areas, years
        assert read_page()[0] == 1
    for index in range(4):
        assign(decide(f"Pilot {index}"), Status.OPEN, Status.IN_PROGRESS, Status.DONE)
    with django_assert_num_queries(5):
        assert read_page()[0] == 5
    with django_assert_num_queries(1):
        register.public_entry(first.number)
