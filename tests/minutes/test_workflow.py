"""Every minutes action x status x role: allowed ones take effect, the rest are refused and change nothing; final
minutes are never edited, only corrected with a reason into a new version, the old one kept as it was."""

import pytest
from django.core.exceptions import ValidationError

from committee.dates import add_working_days, seoul_today
from policies import permissions, services
from policies.models import FrozenRecord, Minutes, MinutesComment, MinutesItem, MinutesVersion
from policies.workflow import MINUTES, InvalidState, NotPermitted
from tests import cast

N = Minutes.Status

# Written out by hand from the issue, not derived from the table it checks.
ALLOWED = {
    ("send_for_review", N.DRAFT, "secretariat"),
    ("finalise", N.IN_REVIEW, "secretariat"),
    ("correct", N.FINAL, "secretariat"),
    ("edit", N.DRAFT, "secretariat"),
    ("edit", N.IN_REVIEW, "secretariat"),
    ("comment", N.IN_REVIEW, "member"),
}
TARGET = {"send_for_review": N.IN_REVIEW, "finalise": N.FINAL, "correct": N.FINAL}
OFFERED = ["send_for_review", "finalise", "correct"]
# Who the action is meant for: anyone else is refused for role (403) before state (409).
MEANT_FOR = {"comment": "member"}
ROLES = ["secretariat", "foreign_secretariat", "member", "foreign_member", "lead_liaison", "outsider"]


@pytest.fixture
def actors(lead_liaison, secretariat, member, outsider):
    foreign = cast.make_committee("NBC-FOOD")
    return {
        "secretariat": secretariat,
        "foreign_secretariat": cast.make_secretariat(foreign, "food-secretariat"),
        "member": member,
        "foreign_member": cast.make_member(foreign, "food-member"),
        "lead_liaison": lead_liaison,
        "outsider": outsider,
    }


def take(action, minutes, item, user):
    if action == "send_for_review":
        return services.send_minutes_for_review(minutes, by=user, working_days=5)
    if action == "finalise":
        return services.finalise_minutes(minutes, by=user)
    if action == "correct":
        return services.correct_minutes(
            minutes, by=user, reason="The delegate's name was misspelt.", summaries={item.pk: "고친 요약."}
        )
    if action == "edit":
        return services.save_summaries(minutes, by=user, summaries={item.pk: "다시 쓴 요약."})
    assert action == "comment"
    return services.comment_on_minutes(minutes, by=user, text="예산 규모를 명시해 주십시오.", agenda_item=item)


def effects(minutes):
    fresh = Minutes.objects.get(pk=minutes.pk)
    return (
        fresh.status,
        fresh.version,
        list(MinutesItem.objects.filter(minutes=minutes).values_list("summary", flat=True)),
        MinutesComment.objects.filter(minutes=minutes).count(),
        MinutesVersion.objects.filter(minutes=minutes).count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", N.values)
@pytest.mark.parametrize("action", list(MINUTES.transitions))
def test_minutes_table(minutes_in_state, actors, action, status, role):
    minutes, item = minutes_in_state(status)
    user = actors[role]
    allowed = (action, status, role) in ALLOWED
    if action in OFFERED:
        assert (action in permissions.allowed_actions(user, minutes)) == allowed
    before = effects(minutes)
    if allowed:
        take(action, minutes, item, user)
        assert Minutes.objects.get(pk=minutes.pk).status == TARGET.get(action, status)
        assert effects(minutes) != before
        return
    expected = InvalidState if role == MEANT_FOR.get(action, "secretariat") else NotPermitted
    with pytest.raises(expected) as refused:
        take(action, minutes, item, user)
    assert refused.value.message
    assert effects(minutes) == before


def test_the_table_has_exactly_the_actions_this_test_walks():
    assert set(MINUTES.transitions) == {action for action, _status, _role in ALLOWED}
    assert list(MINUTES.user_actions) == OFFERED
    assert MINUTES.open_states == {N.DRAFT, N.IN_REVIEW}


@pytest.mark.django_db
def test_review_deadline_is_counted_in_korean_working_days_and_bounded(minutes_in_state, secretariat):
    minutes, _item = minutes_in_state(N.DRAFT)
    for bad in (0, 31, "5", True):
        with pytest.raises(ValidationError) as refused:
            services.send_minutes_for_review(minutes, by=secretariat, working_days=bad)
        assert "working_days" in refused.value.message_dict
    sent = services.send_minutes_for_review(minutes, by=secretariat, working_days=5)
    assert sent.review_deadline == add_working_days(seoul_today(), 5)


@pytest.mark.django_db
def test_finalising_freezes_the_minutes_as_drafted_from_the_meetings_data(minutes_in_state, secretariat, member):
    minutes, item = minutes_in_state(N.FINAL)
    [version] = minutes.versions.all()
    content = version.content
    assert version.number == 1 and version.reason == ""
    assert [row["status"] for row in content["attendance"]] == ["present"]
    assert content["quorum"]["has_quorum"] is True
    [entry] = content["items"]
    assert entry["decision"]["outcome"] == "adopted"
    assert entry["decision"]["resolution"] == "계획과 예산을 승인한다."
    assert entry["summary"] == "위원들은 예산 규모를 논의하였다."


@pytest.mark.django_db
def test_a_final_version_is_never_edited_nor_deleted(minutes_in_state, secretariat):
    minutes, item = minutes_in_state(N.FINAL)
    version = minutes.versions.get()
    version.reason = "tampered"
    with pytest.raises(FrozenRecord):
        version.save()
    with pytest.raises(FrozenRecord):
        version.delete()
    with pytest.raises(InvalidState):
        services.save_summaries(minutes, by=secretariat, summaries={item.pk: "몰래 고친 요약."})
    stored = MinutesVersion.objects.get(pk=version.pk)
    assert stored.content["items"][0]["summary"] == "위원들은 예산 규모를 논의하였다."


@pytest.mark.django_db
def test_a_correction_needs_a_reason_and_keeps_the_old_version(minutes_in_state, secretariat):
    minutes, item = minutes_in_state(N.FINAL)
    with pytest.raises(ValidationError) as refused:
        services.correct_minutes(minutes, by=secretariat, reason="  ", summaries={item.pk: "고친 요약."})
    assert "comment" in refused.value.message_dict
    assert minutes.versions.count() == 1
    corrected = services.correct_minutes(minutes, by=secretariat, reason="오기 수정", summaries={item.pk: "고친 요약."})
    assert corrected.status == N.FINAL and corrected.version == 2
    old, new = minutes.versions.order_by("number")
    assert old.content["items"][0]["summary"] == "위원들은 예산 규모를 논의하였다."
    assert (new.number, new.reason, new.content["items"][0]["summary"]) == (2, "오기 수정", "고친 요약.")


@pytest.mark.django_db
def test_minutes_are_started_only_for_a_held_meeting_by_its_secretariat(committee, secretariat, member):
    meeting = cast.make_meeting(committee, secretariat)
    with pytest.raises(InvalidState):
        services.start_minutes(meeting, by=secretariat)
    with pytest.raises(NotPermitted):
        services.start_minutes(meeting, by=member)
    assert not Minutes.objects.exists()


@pytest.mark.django_db
def test_a_comment_is_on_an_item_of_this_meeting_and_not_empty(minutes_in_state, member, secretariat, committee):
    minutes, item = minutes_in_state(N.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.comment_on_minutes(minutes, by=member, text="   ")
    other = cast.make_meeting(committee, secretariat)
    report = services.add_agenda_item(other, by=secretariat, kind="report", title="Another meeting's report")
    with pytest.raises(ValidationError) as refused:
        services.comment_on_minutes(minutes, by=member, text="Wrong item", agenda_item=report)
    assert "agenda_item" in refused.value.message_dict
    comment = services.comment_on_minutes(minutes, by=member, text="전체적으로 동의합니다.")
    assert comment.agenda_item is None and comment.author == member


@pytest.mark.django_db
def test_drafts_are_the_secretariats_and_minutes_in_review_are_read_by_whoever_sees_the_meeting(
    minutes_in_state, actors
):
    minutes, _item = minutes_in_state(N.DRAFT)

    def readers():
        return {role for role, user in actors.items() if permissions.visible_minutes(user).filter(pk=minutes.pk)}

    assert readers() == {"secretariat"}
    services.send_minutes_for_review(minutes, by=actors["secretariat"], working_days=3)
    assert readers() == {"secretariat", "member", "lead_liaison"}
