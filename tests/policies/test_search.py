"""One proposal search (policies/search.py): the portal, the API and the admin find the same proposals.

Before, each face had its own field list: the admin found proposals by lead agency, the portal and the API
did not, and the portal took a two-word search as one phrase.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from policies.models import Proposal, ProposalState
from policies.search import search_proposals
from tests import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(committee, lead_liaison, other_liaison, secretariat, health):
    def submitted(liaison, **fields):
        cast_of = {"committee": committee, "liaison": liaison, "secretariat": secretariat, "area": health}
        return cast.proposal_in_state(ProposalState.SUBMITTED, **cast_of, **fields)

    return {
        "plants": submitted(lead_liaison, title="Bio-manufacturing pilot plants", summary="Two plants for biologics."),
        "vaccines": submitted(other_liaison, title="Vaccine stockpile", summary="A national reserve of vaccines."),
        "genomes": submitted(other_liaison, title="Genome data commons", summary="Shared data for biologics research."),
    }


def found_by_portal(user, text):
    client = _client(user)
    response = client.get(reverse("portal:proposal_list"), {"q": text})
    assert response.status_code == 200
    return {proposal.title for proposal in response.context["page"].object_list}


def found_by_api(user, text):
    client = APIClient()
    client.force_login(user)
    response = client.get("/api/v1/proposals/", {"search": text, "page_size": 100})
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def found_by_admin(user, text):
    response = _client(user).get(reverse("admin:policies_proposal_changelist"), {"q": text})
    assert response.status_code == 200
    return {proposal.title for proposal in response.context["cl"].result_list}


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


FACES = [found_by_portal, found_by_api, found_by_admin]


@pytest.mark.parametrize("face", FACES, ids=["portal", "api", "admin"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vaccine", {"Vaccine stockpile"}),  # a word of the title, any case
        ("BIOLOGICS", {"Bio-manufacturing pilot plants", "Genome data commons"}),  # of the summary
        ("MOHW", {"Vaccine stockpile", "Genome data commons"}),  # the lead agency's acronym
        ("보건복지부", {"Vaccine stockpile", "Genome data commons"}),  # its Korean name
        ("biologics MOHW", {"Genome data commons"}),  # every word, each in any field
        ("  biologics   research ", {"Genome data commons"}),  # spaces are separators only
        ("biologics nowhere", set()),
        ("", {"Bio-manufacturing pilot plants", "Vaccine stockpile", "Genome data commons"}),
    ],
)
def test_every_face_finds_the_same_proposals(face, text, expected, proposals, secretariat):
    assert face(secretariat, text) == expected


@pytest.mark.parametrize("face", FACES, ids=["portal", "api", "admin"])
def test_a_reference_finds_its_proposal(face, proposals, secretariat):
    reference = proposals["vaccines"].reference
    assert face(secretariat, reference) == {"Vaccine stockpile"}


@pytest.mark.parametrize("face", [found_by_portal, found_by_api], ids=["portal", "api"])
def test_a_search_never_finds_another_agencys_draft(face, committee, lead_liaison, other_liaison, health):
    cast.make_proposal(committee, other_liaison, health, title="Secret draft of MOHW")
    assert face(lead_liaison, "Secret") == set()
    assert face(other_liaison, "Secret") == {"Secret draft of MOHW"}


def test_a_nul_character_is_refused_with_a_message_by_the_portal_and_the_api(proposals, secretariat):
    response = _client(secretariat).get(reverse("portal:proposal_list"), {"q": "vacc\x00ine"})
    assert response.status_code == 200 and response.context["form"].errors["q"]
    client = APIClient()
    client.force_login(secretariat)
    response = client.get("/api/v1/proposals/", {"search": "vacc\x00ine"})
    assert response.status_code == 400 and response.json()["search"]
    found_by_admin(secretariat, "vacc\x00ine")  # answers 200: Django's search form refuses it before us


def test_the_search_adds_no_rows_to_what_it_narrows(proposals):
    narrowed = Proposal.objects.filter(pk=proposals["plants"].pk)
    assert list(search_proposals(narrowed, "biologics")) == [proposals["plants"]]
