"""Who may use the admin and what they see there: the one permission policy, applied to every model admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from policies.models import Proposal, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db

MODEL_ADMINS = [
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in ("policies", "directory")
]


def changelist(app, model):
    return reverse(f"admin:{app}_{model}_changelist")


def test_every_committee_model_is_in_the_admin():
    registered = {f"{app}.{model}" for app, model in MODEL_ADMINS}
    assert registered >= {
        "directory.committee",
        "directory.agency",
        "directory.committeemembership",
        "directory.profile",
        "policies.policyarea",
        "policies.proposal",
        "policies.consultation",
        "policies.meeting",
        "policies.decision",
        "policies.followupaction",
        "policies.digestpreference",
    }


@pytest.mark.parametrize(("app", "model"), MODEL_ADMINS)
def test_secretariat_opens_every_changelist_and_change_page(desk, world, app, model):
    response = desk.get(changelist(app, model))
    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert rows, f"the secretariat sees no {model} rows"
    response = desk.get(reverse(f"admin:{app}_{model}_change", args=[rows[0].pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), MODEL_ADMINS)
def test_add_page_renders_where_adding_is_allowed(desk, world, app, model):
    model_admin = next(
        model_admin
        for registered, model_admin in admin.site._registry.items()
        if (registered._meta.app_label, registered._meta.model_name) == (app, model)
    )
    response = desk.get(reverse(f"admin:{app}_{model}_add"))
    request = response.wsgi_request
    if model_admin.has_add_permission(request):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_proposals_cannot_be_added_in_the_admin(desk, world):
    assert desk.get(reverse("admin:policies_proposal_add")).status_code == 403


def test_secretariat_sees_the_dashboard_link_on_the_index(desk, world):
    response = desk.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:policies_dashboard") in response.content.decode()


@pytest.mark.parametrize("who", ["lead_liaison", "member", "outsider"])
def test_liaisons_and_members_are_sent_to_the_login_page(client, world, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in [reverse("admin:index"), changelist("policies", "proposal"), reverse("admin:policies_dashboard")]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_staff_without_a_committee_is_refused_every_model(client, world):
    staff = cast.make_user("staff-without-committee", is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert client.get(changelist("policies", "proposal")).status_code == 403
    proposal = world["decided"]
    assert client.get(reverse("admin:policies_proposal_change", args=[proposal.pk])).status_code == 403
    assert client.get(reverse("admin:policies_dashboard")).status_code == 403


@pytest.mark.parametrize(("app", "model"), MODEL_ADMINS)
def test_secretariat_of_another_committee_sees_none_of_this_committees_rows(
    admin_client_for, world, other_secretariat, app, model
):
    client = admin_client_for(other_secretariat)
    response = client.get(changelist(app, model))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    if model in ("policyarea", "agency"):
        return  # shared reference data, the same for every committee
    if model == "committee":
        assert [row.code for row in rows] == ["SUB"]
    elif model == "profile":
        # Liaisons of agencies that sit on both committees are shared; this committee's own people are not.
        usernames = {row.user.username for row in rows}
        assert "secretariat-sub" in usernames
        assert not usernames & {"secretariat", "member-1"}
    else:
        assert rows == []


def test_secretariat_of_another_committee_cannot_open_or_act_on_a_proposal(admin_client_for, world, other_secretariat):
    client = admin_client_for(other_secretariat)
    proposal = world["reviewed"]
    response = client.get(reverse("admin:policies_proposal_change", args=[proposal.pk]))
    assert response.status_code == 302  # Django's "does not exist" redirect: existence is not revealed
    response = client.post(reverse("admin:policies_proposal_transition", args=[proposal.pk, "accept"]))
    assert response.status_code == 404
    response = client.post(
        reverse("admin:policies_meeting_publish", args=[world["meeting"].pk]),
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.UNDER_REVIEW


def test_superuser_sees_every_committees_rows(admin_client_for, world, superuser, other_committee, other_secretariat):
    response = admin_client_for(superuser).get(changelist("policies", "proposal"))
    assert {row.pk for row in response.context["cl"].result_list} == set(Proposal.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["lead_liaison", "member"])
def test_liaisons_and_members_cannot_press_the_secretariats_buttons(client, world, who, request):
    client.force_login(request.getfixturevalue(who))
    proposal, meeting = world["reviewed"], world["meeting"]
    for url in [
        reverse("admin:policies_proposal_transition", args=[proposal.pk, "accept"]),
        reverse("admin:policies_proposal_consult", args=[proposal.pk]),
        reverse("admin:policies_meeting_cancel", args=[meeting.pk]),
        reverse("admin:policies_followupaction_verify", args=[world["action"].pk]),
    ]:
        response = client.post(url, {"comment": "x"})
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    proposal.refresh_from_db()
    meeting.refresh_from_db()
    assert (proposal.state, meeting.status) == (ProposalState.UNDER_REVIEW, "agenda_published")


def test_superuser_manages_accounts_with_the_profile_inline(admin_client_for, world, superuser, lead_liaison):
    client = admin_client_for(superuser)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    response = client.get(reverse("admin:auth_user_change", args=[lead_liaison.pk]))
    assert response.status_code == 200
    assert "MSIT" in response.content.decode()


def test_secretariat_does_not_manage_user_accounts(desk, world):
    assert desk.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/policies/proposal/not-a-number/consult/",
        "/admin/policies/proposal/999999/workflow/accept/",
        "/admin/policies/meeting/x/publish/",
        "/admin/policies/meeting/999999/items/1/decision/",
        "/admin/policies/followupaction/x/reopen/",
    ],
)
def test_buttons_on_missing_or_malformed_ids_are_not_found(desk, world, url):
    assert desk.post(url).status_code == 404


@pytest.mark.django_db
def test_secretariat_sees_failed_emails_and_retries_them_but_liaisons_cannot(
    client, committee, secretariat, lead_liaison
):
    from committee.outbox.models import OutboundEmail

    failed = OutboundEmail.objects.create(
        to_address="x@example.go.kr", subject="s", body_text="b", kind="test", dedup_key="t1",
        status=OutboundEmail.Status.FAILED, attempts=8, committee=committee,
    )  # fmt: skip
    url = "/admin/outbox/outboundemail/"
    client.force_login(secretariat)
    assert client.get(url + "?status__exact=failed").status_code == 200
    response = client.post(url, {"action": "retry", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboundEmail.Status.PENDING
    client.force_login(lead_liaison)
    assert client.get(url).status_code == 302  # to the admin login: not staff
