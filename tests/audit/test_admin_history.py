"""Each record's admin page shows its own history, linked to the audit log filtered to that record."""

import datetime

import pytest
from django.urls import reverse

from committee.audit.models import AuditEntry
from committee.dates import seoul_today
from policies import services
from policies.models import Decision, PolicyArea, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db


def page_of(client, obj):
    opts = obj._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200
    return response


def test_a_proposal_page_lists_its_entries_and_links_to_the_filtered_log(client, secretariat, proposal_in_state):
    proposal = proposal_in_state("under_review")
    other = proposal_in_state("submitted")
    client.force_login(secretariat)
    response = page_of(client, proposal)
    shown = [entry.action for entry in response.context["audit_history"]]
    assert shown == ["proposal.review_started", "proposal.submitted", "proposal.created"]
    assert 'id="audit-history"' in response.content.decode()
    log = client.get(response.context["audit_history_url"])
    listed = {entry.pk for entry in log.context["cl"].result_list}
    assert listed == set(
        AuditEntry.objects.filter(object_id=str(proposal.pk), action__startswith="proposal.").values_list(
            "pk", flat=True
        )
    )
    assert not listed & set(AuditEntry.objects.filter(object_id=str(other.pk)).values_list("pk", flat=True))


def test_meeting_decision_and_action_pages_show_their_history(client, secretariat, lead_liaison, proposal_in_state):
    proposal = proposal_in_state("decided")
    decision = Decision.objects.get(agenda_item__proposal=proposal)
    meeting = decision.agenda_item.meeting
    action = services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=lead_liaison.profile.agency,
        title="Build",
        due_date=seoul_today() + datetime.timedelta(days=5),
    )
    client.force_login(secretariat)
    assert [e.action for e in page_of(client, meeting).context["audit_history"]] == [
        "meeting.agenda_published",
        "meeting.created",
    ]
    assert [e.action for e in page_of(client, decision).context["audit_history"]] == ["decision.recorded"]
    assert [e.action for e in page_of(client, action).context["audit_history"]] == ["action.assigned"]


def test_the_audit_log_filters_by_kind_of_object_user_date_and_action(client, secretariat, proposal_in_state):
    proposal_in_state("submitted")
    client.force_login(secretariat)
    response = client.get(reverse("admin:audit_auditentry_changelist"))
    filters = {spec.title for spec in response.context["cl"].filter_specs}
    assert {"action", "by", "when", "kind of object"} <= {str(title) for title in filters}


def test_the_secretariat_changing_a_members_digest_in_the_admin_is_logged_as_its_act(client, secretariat, member):
    from policies.models import DigestPreference

    preference = DigestPreference.objects.create(user=member)
    client.force_login(secretariat)
    url = reverse("admin:policies_digestpreference_change", args=[preference.pk])
    response = client.post(url, {"frequency": "daily", "areas": []})
    assert response.status_code == 302, response.content
    [entry] = AuditEntry.objects.filter(action="preferences.updated")
    assert (entry.actor_id, entry.object_id) == (secretariat.pk, str(member.pk))
    assert entry.changes["frequency"] == ["weekly", "daily"]
    assert DigestPreference.objects.get(pk=preference.pk).frequency == "daily"


def test_history_and_audit_log_show_actions_in_the_readers_words(client, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client.force_login(secretariat)
    for language, words in (("en", "Proposal submitted"), ("ko", "제안 제출")):
        cast.speaks(secretariat, language)  # a signed-in person's pages are in their profile's language
        history = client.get(reverse("admin:policies_proposal_change", args=[proposal.pk])).content.decode()
        assert f"<td>{words}</td>" in history and "<td>proposal.submitted</td>" not in history
        changelist = client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
        assert words in changelist


def test_editing_policy_areas_in_the_admin_list_is_audited(client, secretariat):
    area = PolicyArea.objects.get(code="food")
    client.force_login(secretariat)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(area.pk),
        "form-0-position": "7",
        "form-0-is_active": "on",
        "_save": "Save",
    }
    response = client.post(reverse("admin:policies_policyarea_changelist"), data)
    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(action="policy_area.changed", object_id=str(area.pk))
    assert entry.changes == {"position": [20, 7]} and entry.actor_id == secretariat.pk
