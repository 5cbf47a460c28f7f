"""A held meeting and its minutes driven through the services to any state of their table."""

import datetime

import pytest
from django.utils import timezone

from policies import services
from policies.models import Minutes, ProposalState
from tests import cast

N = Minutes.Status


@pytest.fixture
def held_meeting(committee, secretariat, member, proposal_in_state):
    """A meeting held an hour ago, everyone present, its one proposal adopted."""
    meeting = cast.make_meeting(committee, secretariat, starts_at=timezone.now() - datetime.timedelta(hours=1))
    item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal_in_state(ProposalState.ACCEPTED))
    services.publish_agenda(meeting, by=secretariat)
    cast.attend_all(meeting, secretariat)
    services.record_decision(item, by=secretariat, outcome="adopted", resolution="계획과 예산을 승인한다.")
    return services.mark_meeting_held(meeting, by=secretariat), item


@pytest.fixture
def minutes_in_state(held_meeting, secretariat):
    def build(status):
        meeting, item = held_meeting
        minutes = services.start_minutes(meeting, by=secretariat)
        services.save_summaries(minutes, by=secretariat, summaries={item.pk: "위원들은 예산 규모를 논의하였다."})
        if status in (N.IN_REVIEW, N.FINAL):
            services.send_minutes_for_review(minutes, by=secretariat, working_days=5)
        if status == N.FINAL:
            services.finalise_minutes(minutes, by=secretariat)
        minutes = Minutes.objects.get(pk=minutes.pk)
        assert minutes.status == status
        return minutes, item

    return build
