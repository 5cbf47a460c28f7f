"""The membership form offers only the people a secretariat may seat, through a search limited the same way.

Finding 9: it listed every account to every secretariat. A secretariat may seat the people of its
committees (members past and present, liaisons of its member agencies, its colleagues) and accounts with
no role anywhere yet; never itself, never another committee's people.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import cast

pytestmark = pytest.mark.django_db

ADD = reverse("admin:directory_committeemembership_add")
PEOPLE = reverse("admin:directory_committeemembership_people")


@pytest.fixture
def cast_of_people(committee, other_committee, secretariat, member, lead_liaison, outsider):
    colleague = cast.make_secretariat(committee, "secretariat-colleague")
    former = cast.make_member(committee, "former-member")
    former.memberships.update(term_end=timezone.localdate() - datetime.timedelta(days=1))  # whatever today is
    elsewhere = cast.make_member(other_committee, "member-sub")
    other_staff = cast.make_secretariat(other_committee, "secretariat-sub")
    other_committee.agencies.add(cast.agency("MAFRA"))
    committee.agencies.remove(cast.agency("MAFRA"))
    foreign_liaison = cast.make_liaison(cast.agency("MAFRA"), "liaison-mafra")
    root = cast.make_user("root", is_staff=True, is_superuser=True)
    return {
        "may": {member, lead_liaison, outsider, colleague, former},
        "may not": {secretariat, elsewhere, other_staff, foreign_liaison, root},
    }


def search(client, term=""):
    response = client.get(PEOPLE, {"term": term})
    assert response.status_code == 200
    return {row["text"] for row in response.json()["results"]}


def usernames(users):
    return {user.username for user in users}


def test_the_form_offers_only_the_people_the_secretariat_may_seat(desk, cast_of_people):
    response = desk.get(ADD)
    field = response.context["adminform"].form.fields["user"]
    offered = usernames(field.queryset)
    assert offered >= usernames(cast_of_people["may"])
    assert offered.isdisjoint(usernames(cast_of_people["may not"]))


def test_the_form_uses_a_search_widget_and_lists_no_accounts_in_the_page(desk, cast_of_people):
    page = desk.get(ADD).content.decode()
    assert f'data-ajax--url="{PEOPLE}"' in page
    assert "member-sub" not in page and "liaison-mafra" not in page and "outsider" not in page


def test_the_search_finds_people_the_secretariat_may_seat_and_no_one_else(desk, cast_of_people):
    found = search(desk)
    assert {text.split()[-1].strip("()") for text in found} == usernames(cast_of_people["may"])
    assert search(desk, "member") == {"member-1", "former-member"}
    assert search(desk, "sub") == set()  # another committee's member and staff exist, but are not found


def test_a_forged_choice_is_refused_on_the_form(desk, committee, cast_of_people):
    stranger = next(user for user in cast_of_people["may not"] if user.username == "member-sub")
    data = {"committee": str(committee.pk), "user": str(stranger.pk), "role": "expert", "term_start": "2026-01-01"}
    response = desk.post(ADD, data)
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors


def test_djangos_own_account_search_is_closed_to_the_secretariat(desk, cast_of_people):
    query = {"app_label": "directory", "model_name": "committeemembership", "field_name": "user", "term": ""}
    assert desk.get(reverse("admin:autocomplete"), query).status_code == 403


@pytest.mark.parametrize("who", ["lead_liaison", "member"])
def test_liaisons_and_members_cannot_search_people(client, cast_of_people, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(PEOPLE, {"term": ""})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_without_a_committee_cannot_search_people(client, cast_of_people):
    client.force_login(cast.make_user("staff-without-committee", is_staff=True))
    assert client.get(PEOPLE, {"term": ""}).status_code == 403


def test_a_superuser_finds_everyone_but_themselves(admin_client_for, cast_of_people):
    root = next(user for user in cast_of_people["may not"] if user.username == "root")
    found = search(admin_client_for(root), "sub")
    assert found == {"member-sub", "secretariat-sub"}
