"""Nothing but the public decision register is open without signing in.

Walks EVERY URL pattern of the project (Django's resolver, admin and API included; each parameter filled from a
small world of real rows) with GET and POST, and every operation of the OpenAPI schema, as an anonymous visitor,
and proves each answers a sign-in redirect (302 to a login page) or 401/403. The exceptions are listed below,
each with its reason; a route added later without protection makes `test_every_route_refuses_...` fail, and
`test_the_walk_catches_a_page_added_without_protection` proves that it would.
"""

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve
from drf_spectacular.generators import SchemaGenerator

from committee.directory.models import Agency, Committee
from policies import services
from policies.models import (
    AgendaItem,
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    MeetingDocument,
    OpinionAttachment,
    PolicyArea,
    ProgressReportAttachment,
    Proposal,
    ProposalAttachment,
    ProposalState,
)
from tests.portal.conftest import pdf_upload

pytestmark = pytest.mark.django_db

# Open to anonymous visitors on purpose, by route name; every other route must refuse them.
PUBLIC = {
    # The public decision register (issue 11): the list, a page per public decision, and its Atom feed.
    "register:list",
    "register:decision",
    "register:feed",
    # Signing in: the portal's and the admin's sign-in pages, and the API's token endpoint (credentials in,
    # a token out). There is no password-reset page: accounts are reset by the secretariat.
    "login",
    "admin:login",
    "api:token",
    # Signing out: POST only; an anonymous visitor is sent to the sign-in page, having nothing to end.
    "logout",
    "admin:logout",
    # The header's language switch (committee/urls.py): anonymous visitors choose Korean or English for the
    # sign-in page and the register; it stores a cookie and goes back, and tells nothing.
    "set_language",
}
# Opened by a link whose signed token is the credential (mail clients and calendar apps cannot sign in). With
# a token that is not a valid signature they must refuse, which the walk checks (400 or 404).
CAPABILITY_LINKS = {
    "portal:person_calendar",  # a person's private calendar feed
    "portal:committee_calendar",  # a committee's private calendar feed
    "portal:reply_link",  # an invitation email's reply link (?token=...)
    "notifications:unsubscribe",  # an email's unsubscribe link (and the one-click POST)
}
# What the rest may answer an anonymous visitor: a sign-in redirect, or a refusal.
LOGIN_PAGES = ("/login/", "/admin/login/")
REFUSALS = (401, 403)
METHODS = ("GET", "POST")


# --- the world the parameters come from ------------------------------------------------------------


@pytest.fixture
def world(proposal_in_state, secretariat, lead_liaison, mohw, msit):
    """One of everything the routes name: a decided proposal with a file, a consultation, an action."""
    from committee.dates import seoul_today

    draft = proposal_in_state(ProposalState.DRAFT)
    services.add_attachment(draft, by=lead_liaison, uploaded_file=pdf_upload())
    submitted = proposal_in_state(ProposalState.SUBMITTED)
    services.request_consultations(submitted, by=secretariat, agencies=[mohw], working_days=3)
    decided = proposal_in_state(ProposalState.DECIDED)
    decision = Decision.objects.get(agenda_item__proposal=decided)
    services.assign_follow_up_action(decision, by=secretariat, agency=msit, title="Act", due_date=seoul_today())
    return decision


def first_pk(model, default=1):
    row = model._default_manager.order_by("pk").first()
    return row.pk if row is not None else default


# The model a route's `pk` names, by the route's first segment (portal, notifications) or API basename.
MODEL_OF_SEGMENT = {
    "proposals": Proposal,
    "attachments": ProposalAttachment,
    "consultations": Consultation,
    "opinion-files": OpinionAttachment,
    "opinion-attachments": OpinionAttachment,
    "actions": FollowUpAction,
    "progress-files": ProgressReportAttachment,
    "progress-attachments": ProgressReportAttachment,
    "meetings": Meeting,
    "decisions": Decision,
    "committees": Committee,
    "agencies": Agency,
}


def model_of(route: str):
    """The model whose row a route's `pk` or `object_id` names, if the route says (else None)."""
    admin = re.match(r"^admin/(\w+)/(\w+)/", route)
    if admin:
        try:
            return apps.get_model(admin[1], admin[2])
        except LookupError:
            return None
    segments = [part for part in re.split(r"[/^$]+", route) if part and part not in ("api", "v1")]
    if segments and segments[0] == "notifications":
        from committee.outbox.models import Notification

        return Notification
    if "documents" in segments:
        return MeetingDocument
    return MODEL_OF_SEGMENT.get(segments[0]) if segments else None


def value_for(name: str, route: str) -> str:
    """A value for one URL parameter, from the world's rows where the route names a row."""
    if name in ("pk", "id", "object_id"):
        model = model_of(route)
        return str(first_pk(model)) if model is not None else "1"
    values = {
        "meeting_pk": lambda: first_pk(Meeting),
        "attachment_id": lambda: first_pk(ProposalAttachment),
        "item_id": lambda: first_pk(AgendaItem),
        "decision_id": lambda: first_pk(Decision),
        "proposal_id": lambda: first_pk(Proposal),
        "content_type_id": lambda: ContentType.objects.get_for_model(Proposal).pk,
        "app_label": lambda: "policies",
        "url": lambda: "policies/nothing-here/",
        "code": lambda: (Committee if "committees" in route else PolicyArea).objects.order_by("pk").first().code,
        "acronym": lambda: Agency.objects.order_by("pk").first().acronym,
        "extension": lambda: "csv",
        "action": lambda: "close" if "consultation" in route else "start_review",
        "kind": lambda: MeetingDocument.Kind.AGENDA_BOOK,
        "version": lambda: 1,
        "token": lambda: "not-a-signed-token",
        "number": lambda: Decision.objects.order_by("pk").first().number,
    }
    if name not in values:
        raise AssertionError(f"the walk has no value for the URL parameter {name!r} of {route!r}: add one")
    return str(values[name]())


# --- the walk -----------------------------------------------------------------------------------------


def routes(patterns=None, prefix="", namespace=""):
    """(route as written, name with its namespace, view) for every URL pattern of the project."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            # The admin has unnamed routes (its catch-all, the old change URL): they go by their route.
            yield prefix + str(pattern.pattern), name or f"(unnamed) {prefix}{pattern.pattern}", pattern.lookup_str


def concrete_path(route: str) -> str:
    """The route with every parameter filled: <conv:name> of path() and (?P<name>...) of re_path()."""
    filled = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: value_for(match[1], route), route)
    filled = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: value_for(match[1], route), filled)
    return "/" + filled.replace("^", "").replace("$", "")


def is_protected(response) -> bool:
    if response.status_code in REFUSALS:
        return True
    return response.status_code == 302 and response["Location"].split("?")[0] in LOGIN_PAGES


def walk(client: Client) -> dict[str, list[str]]:
    """Every route's answers to an anonymous GET and POST, as {name: ["GET /path -> 302 /login/?...", ...]}."""
    answers = {}
    for route, name, _view in routes():
        url = concrete_path(route)
        reached = resolve(url).route  # Django drops the ^ of a regex inside an include
        assert reached.replace("^", "") == route.replace("^", ""), f"{url} reaches {reached}, not {route}"
        answers[name] = []
        for method in METHODS:
            response = client.generic(method, url)
            answers[name].append((method, url, response))
    return answers


def unprotected(answers) -> list[str]:
    """Routes outside the allow-lists that serve an anonymous visitor: neither method redirected or refused.

    A method the route does not answer at all (405) tells nothing; the other method must then be refused.
    """
    found = []
    for name, responses in answers.items():
        if name in PUBLIC:
            continue
        if name in CAPABILITY_LINKS:
            found += [
                f"{method} {url} -> {response.status_code} (a capability link must refuse a bad token)"
                for method, url, response in responses
                if response.status_code not in (400, 404, 405)
            ]
            continue
        refused = [response for _, _, response in responses if is_protected(response)]
        unanswered = [response for _, _, response in responses if response.status_code == 405]
        if not refused or len(refused) + len(unanswered) < len(responses):
            found += [
                f"{name}: {method} {url} -> {response.status_code} {response.get('Location', '')}"
                for method, url, response in responses
                if not is_protected(response)
            ]
    return found


# --- the tests ----------------------------------------------------------------------------------------


def test_the_walk_reaches_every_part_of_the_site(world):
    names = {name for _, name, _ in routes()}
    for expected in (
        "portal:home",
        "portal:proposal",
        "admin:index",
        "admin:policies_decision_change",
        "api:proposal-detail",
        "api:schema",
        "notifications:list",
        "account:verify",
        "register:list",
    ):
        assert expected in names, expected
    assert len(names) >= 200
    assert names >= PUBLIC | CAPABILITY_LINKS, "an allow-listed route no longer exists: take it off the list"


def test_every_route_refuses_an_anonymous_visitor_but_the_register_and_signing_in(world):
    client = Client(raise_request_exception=False)
    found = unprotected(walk(client))
    assert not found, "open to anonymous visitors:\n" + "\n".join(found)


def test_the_allow_listed_routes_do_answer_an_anonymous_visitor(world):
    """The other side: the register and the sign-in pages really open without signing in."""
    Decision.objects.filter(pk=world.pk).update(public_summary="Public.", made_public_at=world.decided_at)
    client = Client()
    for url in ("/register/", f"/register/{world.number}/", "/register/feed.atom", "/login/", "/admin/login/"):
        assert client.get(url).status_code == 200, url


def schema_path(template: str) -> str:
    """The schema's /api/v1/proposals/{id}/ with {id} filled as the URL walk would."""
    route = template.lstrip("/")
    return re.sub(r"\{(\w+)\}", lambda match: value_for(match[1], route), template)


def test_every_api_operation_in_the_schema_answers_an_anonymous_caller_401(world):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    client = Client(raise_request_exception=False)
    seen = 0
    for template, operations in schema["paths"].items():
        url = schema_path(template)
        for method in operations:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            seen += 1
            response = client.generic(method.upper(), url, "{}", content_type="application/json")
            if url == "/api/v1/auth/token/" and method == "post":
                assert response.status_code == 400, response.content  # signing in: credentials are missing
                continue
            assert response.status_code == 401, (method, url, response.status_code, response.content[:200])
            assert response.json()["code"] == "not_authenticated"
    assert seen >= 40


# --- the test of the test: an unprotected page added later is caught ----------------------------------


def open_page(request):
    return HttpResponse("anyone can read this")


urlpatterns = [path("added-later/", open_page, name="added_later"), path("", include("committee.urls"))]


def test_the_walk_catches_a_page_added_without_protection(world, settings):
    settings.ROOT_URLCONF = __name__
    found = unprotected(walk(Client(raise_request_exception=False)))
    assert found == ["added_later: GET /added-later/ -> 200 ", "added_later: POST /added-later/ -> 200 "]
