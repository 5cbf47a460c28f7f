"""The visibility policy against generated committees, agencies, people and proposals in every state.

What each person should see is reckoned here from the rules as the README and the policy's docstrings state
them, from the generated description of the world, not from the policy's scopes:

- a superuser sees every proposal; an inactive or anonymous user none;
- the secretariat of the proposal's committee sees it in any state, drafts included;
- liaisons of the lead agency see it in any state;
- once submitted (it stays submitted when returned, withdrawn or decided): current members of its committee,
  liaisons of agencies that belong to its committee, and liaisons of co-sponsoring or consulted agencies,
  even from outside the committee;
- nobody else: in particular the secretariat of another committee, or a member whose term has not begun or
  has ended.
`visible_proposals(user)` (querysets) and `sees_proposal(scope, proposal, ...)` (objects in memory, used by
digests) must both give exactly that.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import example, given
from hypothesis import strategies as st

from committee.dates import seoul_today
from committee.directory import scope as directory_scope
from committee.directory.models import Committee, CommitteeMembership
from policies import permissions, services
from policies.models import Consultation, PolicyArea, Proposal
from tests import cast
from tests.properties import database_examples, rolled_back

pytestmark = pytest.mark.django_db
COMMITTEES = ("NBC", "NBC-FOOD")
AGENCIES = tuple(cast.AGENCIES)
# Term of a membership relative to today in Seoul; only the first three are current.
TERMS = {
    "open-ended": (-400, None),
    "ends today": (-400, 0),
    "starts today": (0, 30),
    "ended yesterday": (-400, -1),
    "starts tomorrow": (1, 400),
}
CURRENT_TERMS = {"open-ended", "ends today", "starts today"}
LIVES = {
    # name: steps after creation ("consult" is where consultations are requested, if any)
    "draft": [],
    "withdrawn draft": ["withdraw"],
    "submitted": ["submit", "consult"],
    "under review": ["submit", "start_review", "consult"],
    "returned": ["submit", "start_review", "consult", "return"],
    "withdrawn after submission": ["submit", "consult", "withdraw"],
    "accepted": ["submit", "start_review", "consult", "accept"],
}


@dataclass
class Person:
    agency: str | None = None  # liaison of
    staffs: frozenset[str] = frozenset()  # secretariat of these committees
    terms: dict[str, str] = field(default_factory=dict)  # committee -> term
    superuser: bool = False
    active: bool = True


@dataclass
class Paper:
    committee: str
    lead: str
    life: str
    co_sponsors: frozenset[str]
    consulted: frozenset[str]

    @property
    def submitted(self) -> bool:
        return "submit" in LIVES[self.life]


@dataclass
class World:
    agency_committees: dict[str, frozenset[str]]
    people: list[Person]
    papers: list[Paper]


committee_sets = st.frozensets(st.sampled_from(COMMITTEES), min_size=1)
seats = st.dictionaries(st.sampled_from(COMMITTEES), st.sampled_from(list(TERMS)), min_size=1, max_size=2)
# Mostly people with a single role, so that each rule is what decides for someone; some with several.
people = st.one_of(
    st.builds(Person, agency=st.sampled_from(AGENCIES)),
    st.builds(Person, staffs=committee_sets),
    st.builds(Person, terms=seats),
    st.just(Person()),
    st.just(Person(superuser=True)),
    st.builds(
        Person,
        agency=st.none() | st.sampled_from(AGENCIES),
        staffs=st.frozensets(st.sampled_from(COMMITTEES)),
        terms=seats | st.just({}),
        active=st.booleans(),
    ),
)


@st.composite
def worlds(draw):
    agency_committees = {acronym: set(draw(st.frozensets(st.sampled_from(COMMITTEES)))) for acronym in AGENCIES}
    papers = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        committee, lead = draw(st.sampled_from(COMMITTEES)), draw(st.sampled_from(AGENCIES))
        agency_committees[lead].add(committee)  # only a member agency may lead a proposal in a committee
        others = st.frozensets(st.sampled_from([a for a in AGENCIES if a != lead]), max_size=2)
        life = draw(st.sampled_from(list(LIVES)))
        consulted = draw(others) if "consult" in LIVES[life] else frozenset()
        papers.append(Paper(committee, lead, life, draw(others), consulted))
    crowd = draw(st.lists(people, min_size=1, max_size=6))
    return World({a: frozenset(c) for a, c in agency_committees.items()}, crowd, papers)


def should_see(world: World, person: Person, paper: Paper) -> bool:
    if not person.active:
        return False
    if person.superuser or paper.committee in person.staffs or person.agency == paper.lead:
        return True
    if not paper.submitted:
        return False
    if person.agency is not None:
        involved = person.agency in paper.co_sponsors | paper.consulted
        if involved or paper.committee in world.agency_committees[person.agency]:
            return True
    return person.terms.get(paper.committee) in CURRENT_TERMS


# --- building the world through the services -----------------------------------------------------------


def build(world: World):
    """Committees, agencies, people (plus a liaison per lead agency and a secretariat who do the paperwork)."""
    committees = {code: cast.make_committee(code) for code in COMMITTEES}
    agencies = {acronym: cast.agency(acronym) for acronym in AGENCIES}
    for code, committee in committees.items():
        committee.agencies.set([agencies[a] for a in AGENCIES if code in world.agency_committees[a]])
    clerk = cast.make_user("clerk", is_staff=True)
    for committee in committees.values():
        committee.secretariat.add(clerk)
    crowd = [(Person(staffs=frozenset(COMMITTEES)), clerk)]
    for acronym in sorted({paper.lead for paper in world.papers}):
        crowd.append((Person(agency=acronym), cast.make_liaison(agencies[acronym], f"drafter-{acronym.lower()}")))
    today = seoul_today()
    for number, person in enumerate(world.people):
        user = cast.make_user(f"person-{number}", is_superuser=person.superuser, is_active=person.active)
        if person.agency:
            user.profile.agency = agencies[person.agency]
            user.profile.save()
        for code in person.staffs:
            committees[code].secretariat.add(user)
        for code, term in person.terms.items():
            start, end = TERMS[term]
            CommitteeMembership.objects.create(
                committee=committees[code],
                user=user,
                term_start=today + datetime.timedelta(days=start),
                term_end=None if end is None else today + datetime.timedelta(days=end),
            )
        crowd.append((person, user))
    drafters = {person.agency: user for person, user in crowd[1:] if user.username.startswith("drafter-")}
    area = PolicyArea.objects.get(code="health")
    papers = [
        live(paper, committees[paper.committee], drafters[paper.lead], clerk, agencies, area) for paper in world.papers
    ]
    return crowd, papers


def live(paper: Paper, committee: Committee, drafter, clerk, agencies, area) -> Proposal:
    proposal = cast.make_proposal(committee, drafter, area, co_sponsors=[agencies[a] for a in paper.co_sponsors])
    for step in LIVES[paper.life]:
        if step == "consult":
            if paper.consulted:
                services.request_consultations(
                    proposal, by=clerk, agencies=[agencies[a] for a in sorted(paper.consulted)], working_days=5
                )
        elif step in ("submit", "withdraw"):
            proposal = services.transition_proposal(proposal, step, by=drafter)
        elif step == "return":
            proposal = services.return_proposal(
                proposal, by=clerk, comment="Add the budget.", open_consultations="keep"
            )
        else:
            settles = step in ("accept",)
            proposal = services.transition_proposal(
                proposal, step, by=clerk, open_consultations="keep" if settles else None
            )
    return proposal


def nobody_belongs(**committees_of):
    return {acronym: frozenset(committees_of.get(acronym, ())) for acronym in AGENCIES}


# Worlds on the edges of the rules, tried on every run before the generated ones.
EDGES = [
    # Membership terms on their first and last day, and just outside them.
    World(
        nobody_belongs(MSIT={"NBC"}),
        [Person(terms={"NBC": term}) for term in TERMS],
        [
            Paper("NBC", "MSIT", "submitted", frozenset(), frozenset()),
            Paper("NBC", "MSIT", "draft", frozenset(), frozenset()),
        ],
    ),
    # The secretariat of the other committee, and drafts that stay drafts when withdrawn.
    World(
        nobody_belongs(MSIT={"NBC"}, MOHW={"NBC-FOOD"}),
        [Person(staffs=frozenset({"NBC-FOOD"})), Person(staffs=frozenset({"NBC"})), Person(agency="MOHW")],
        [
            Paper("NBC", "MSIT", "draft", frozenset(), frozenset()),
            Paper("NBC", "MSIT", "withdrawn draft", frozenset(), frozenset()),
            Paper("NBC", "MSIT", "returned", frozenset(), frozenset()),
        ],
    ),
    # Co-sponsors and consulted agencies from outside the committee: only once submitted.
    World(
        nobody_belongs(MSIT={"NBC"}),
        [Person(agency="MOHW"), Person(agency="MOTIE"), Person(agency="MSIT", active=False), Person(superuser=True)],
        [
            Paper("NBC", "MSIT", "draft", frozenset({"MOHW"}), frozenset()),
            Paper("NBC", "MSIT", "under review", frozenset({"MOHW"}), frozenset({"MOTIE"})),
            Paper("NBC", "MSIT", "withdrawn after submission", frozenset(), frozenset({"MOTIE"})),
        ],
    ),
]


def with_edges(test):
    for world in EDGES:
        test = example(world=world)(test)
    return test


@with_edges
@database_examples(max_examples=20)
@given(worlds())
def test_each_person_sees_exactly_what_the_rules_allow_as_a_list_and_one_by_one(db, world):
    def run():
        crowd, proposals = build(world)
        papers = dict(zip((p.pk for p in proposals), world.papers, strict=True))
        in_memory = list(Proposal.objects.prefetch_related("co_sponsors", "consultations"))
        for person, user in crowd:
            user = type(user).objects.select_related("profile").get(pk=user.pk)
            expected = {pk for pk, paper in papers.items() if should_see(world, person, paper)}
            assert set(permissions.visible_proposals(user).values_list("pk", flat=True)) == expected, person
            scope = directory_scope.scope_of(user)
            one_by_one = {
                p.pk for p in in_memory if permissions.sees_proposal(scope, p, permissions.involved_agency_ids(p))
            }
            assert one_by_one == expected, person
            consultations = set(permissions.visible_consultations(user).values_list("pk", flat=True))
            assert consultations == set(
                Consultation.objects.filter(proposal__in=expected).values_list("pk", flat=True)
            ), person
        assert not permissions.visible_proposals(AnonymousUser()).exists()

    rolled_back(run)


@with_edges
@database_examples(max_examples=15)
@given(worlds())
def test_drafts_stay_with_the_lead_agency_and_their_own_committees_secretariat(db, world):
    """The invariants the portal's 404s rest on, stated on their own."""

    def run():
        crowd, proposals = build(world)
        for proposal, paper in zip(proposals, world.papers, strict=True):
            viewers = {user.pk for user in permissions_viewers(crowd, proposal)}
            for person, user in crowd:
                if not paper.submitted and user.pk in viewers:
                    assert person.superuser or person.agency == paper.lead or paper.committee in person.staffs
                # The secretariat of another committee, with no agency and no seat, sees none of this committee's.
                secretariat_elsewhere = (
                    person.agency is None
                    and not person.superuser
                    and not person.terms
                    and paper.committee not in person.staffs
                )
                if secretariat_elsewhere:
                    assert user.pk not in viewers, (person, paper)

    rolled_back(run)


def permissions_viewers(crowd, proposal):
    return [user for _person, user in crowd if permissions.visible_proposals(user).filter(pk=proposal.pk).exists()]
