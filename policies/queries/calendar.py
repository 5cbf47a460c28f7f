"""What a calendar feed shows: reads through the visibility policy, like every other list a person is given."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from committee.directory.scope import scope_of
from policies.models import Consultation, FollowUpAction, Meeting
from policies.permissions import visible_actions, visible_consultations, visible_meetings

PAST_MEETINGS_KEPT = datetime.timedelta(days=366)  # a year back is what a calendar needs; older ones are history


@dataclass(frozen=True)
class FeedContent:
    meetings: QuerySet
    consultations: QuerySet
    actions: QuerySet


def _recent(meetings: QuerySet) -> QuerySet:
    return meetings.filter(starts_at__gte=timezone.now() - PAST_MEETINGS_KEPT).select_related("committee")


def person_feed(user) -> FeedContent:
    """Meetings of the committees the person belongs to or staffs; their agency's open consultation
    deadlines and unfinished follow-up actions. Each list is cut from what the person may see anyway."""
    scope = scope_of(user)
    committees = scope.member_of | scope.staffed
    meetings = _recent(visible_meetings(user).filter(committee_id__in=committees))
    consultations = Consultation.objects.none()
    actions = FollowUpAction.objects.none()
    if scope.agency_id:
        consultations = (
            visible_consultations(user).filter(agency_id=scope.agency_id).outstanding().select_related("proposal")
        )
        actions = visible_actions(user).filter(agency_id=scope.agency_id).unfinished()
    return FeedContent(meetings.order_by("starts_at"), consultations.order_by("deadline"), actions.order_by("due_date"))


def committee_feed(committee) -> FeedContent:
    """A committee's meetings, for everyone its secretariat gives the link to (members, agencies, staff)."""
    meetings = _recent(Meeting.objects.filter(committee=committee))
    return FeedContent(meetings.order_by("starts_at"), Consultation.objects.none(), FollowUpAction.objects.none())
