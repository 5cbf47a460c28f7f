"""Every endpoint x every role x the status it must answer: one table, read row by row.

Roles, in column order: secretariat, lead liaison (MSIT, owns the proposals), other liaison (MOHW, consulted),
committee member, outsider (signed in, no role), anonymous. 404 means "not visible to you" (other agencies'
drafts never leak); 403 means "visible, but your role may not do this"; 409 means "the state forbids it".
"""

from types import SimpleNamespace

import pytest
from django.urls import URLResolver, get_resolver, resolve

from tests.api.conftest import World, text_file

ROLES = ("secretariat", "lead_liaison", "other_liaison", "member", "outsider", "anonymous")


def new_proposal(w):
    return {
        "committee": "NBC",
        "title": "Bio data trust",
        "summary": "A national bio data trust.",
        "requested_decision": "Approve the plan.",
        "policy_area": "health",
    }


def ask_motie(w):
    return {"proposal": w.under_review.pk, "agencies": ["MOTIE"], "working_days": 5}


def upload(w):
    return {"file": text_file("annex.txt")}


# (name, method, url(world), body(world) or None, format, statuses in ROLES order)
TABLE = [
    ("committees list", "get", lambda w: "/api/v1/committees/", None, None, (200, 200, 200, 200, 200, 401)),
    ("committee detail", "get", lambda w: "/api/v1/committees/NBC/", None, None, (200, 200, 200, 200, 200, 401)),
    ("agencies list", "get", lambda w: "/api/v1/agencies/", None, None, (200, 200, 200, 200, 200, 401)),
    ("agency detail", "get", lambda w: "/api/v1/agencies/MSIT/", None, None, (200, 200, 200, 200, 200, 401)),
    ("areas list", "get", lambda w: "/api/v1/policy-areas/", None, None, (200, 200, 200, 200, 200, 401)),
    ("area detail", "get", lambda w: "/api/v1/policy-areas/health/", None, None, (200, 200, 200, 200, 200, 401)),
    ("proposals list", "get", lambda w: "/api/v1/proposals/", None, None, (200, 200, 200, 200, 200, 401)),
    (
        "draft detail",
        "get",
        lambda w: f"/api/v1/proposals/{w.draft.pk}/",
        None,
        None,
        (200, 200, 404, 404, 404, 401),
    ),
    (
        "submitted detail",
        "get",
        lambda w: f"/api/v1/proposals/{w.submitted.pk}/",
        None,
        None,
        (200, 200, 200, 200, 404, 401),
    ),
    ("draft a proposal", "post", lambda w: "/api/v1/proposals/", new_proposal, "json", (403, 201, 201, 403, 403, 401)),
    (
        "revise a draft",
        "patch",
        lambda w: f"/api/v1/proposals/{w.draft.pk}/",
        lambda w: {"title": "Revised"},
        "json",
        (403, 200, 404, 404, 404, 401),
    ),
    (
        "revise a submitted proposal",
        "patch",
        lambda w: f"/api/v1/proposals/{w.submitted.pk}/",
        lambda w: {"title": "Revised"},
        "json",
        (403, 409, 403, 403, 404, 401),
    ),
    (
        "submit a draft",
        "post",
        lambda w: f"/api/v1/proposals/{w.draft.pk}/transitions/",
        lambda w: {"action": "submit"},
        "json",
        (403, 200, 404, 404, 404, 401),
    ),
    (
        "start review",
        "post",
        lambda w: f"/api/v1/proposals/{w.submitted.pk}/transitions/",
        lambda w: {"action": "start_review"},
        "json",
        (200, 403, 403, 403, 404, 401),
    ),
    (
        "accept a submitted (not reviewed) proposal",
        "post",
        lambda w: f"/api/v1/proposals/{w.submitted.pk}/transitions/",
        lambda w: {"action": "accept"},
        "json",
        (409, 403, 403, 403, 404, 401),
    ),
    (
        "withdraw a decided proposal",
        "post",
        lambda w: f"/api/v1/proposals/{w.decided.pk}/transitions/",
        lambda w: {"action": "withdraw"},
        "json",
        (403, 409, 403, 403, 404, 401),
    ),
    (
        "attach to a draft",
        "post",
        lambda w: f"/api/v1/proposals/{w.draft.pk}/attachments/",
        upload,
        "multipart",
        (403, 201, 404, 404, 404, 401),
    ),
    (
        "attach to a submitted proposal",
        "post",
        lambda w: f"/api/v1/proposals/{w.submitted.pk}/attachments/",
        upload,
        "multipart",
        (403, 409, 403, 403, 404, 401),
    ),
    (
        "download a draft's attachment",
        "get",
        lambda w: f"/api/v1/proposals/{w.draft.pk}/attachments/{w.attachment.pk}/",
        None,
        None,
        (200, 200, 404, 404, 404, 401),
    ),
    (
        "remove a draft's attachment",
        "delete",
        lambda w: f"/api/v1/proposals/{w.draft.pk}/attachments/{w.attachment.pk}/",
        None,
        None,
        (403, 204, 404, 404, 404, 401),
    ),
    ("consultations list", "get", lambda w: "/api/v1/consultations/", None, None, (200, 200, 200, 200, 200, 401)),
    (
        "consultation detail",
        "get",
        lambda w: f"/api/v1/consultations/{w.consultation.pk}/",
        None,
        None,
        (200, 200, 200, 200, 404, 401),
    ),
    ("request opinions", "post", lambda w: "/api/v1/consultations/", ask_motie, "json", (201, 403, 403, 403, 403, 401)),
    (
        "give an opinion",
        "post",
        lambda w: f"/api/v1/consultations/{w.consultation.pk}/opinion/",
        lambda w: {"position": "concur"},
        "json",
        (403, 403, 200, 403, 404, 401),
    ),
    ("meetings list", "get", lambda w: "/api/v1/meetings/", None, None, (200, 200, 200, 200, 200, 401)),
    (
        "meeting detail",
        "get",
        lambda w: f"/api/v1/meetings/{w.meeting.pk}/",
        None,
        None,
        (200, 200, 200, 200, 404, 401),
    ),
    ("decisions list", "get", lambda w: "/api/v1/decisions/", None, None, (200, 200, 200, 200, 200, 401)),
    (
        "decision detail",
        "get",
        lambda w: f"/api/v1/decisions/{w.decision.pk}/",
        None,
        None,
        (200, 200, 200, 200, 404, 401),
    ),
    ("actions list", "get", lambda w: "/api/v1/actions/", None, None, (200, 200, 200, 200, 200, 401)),
    (
        "action detail",
        "get",
        lambda w: f"/api/v1/actions/{w.action.pk}/",
        None,
        None,
        (200, 200, 200, 200, 404, 401),
    ),
    (
        "report progress",
        "post",
        lambda w: f"/api/v1/actions/{w.action.pk}/progress/",
        lambda w: {"text": "Site chosen.", "percent_complete": 20},
        "json",
        (403, 201, 403, 403, 404, 401),
    ),
    ("me", "get", lambda w: "/api/v1/me/", None, None, (200, 200, 200, 200, 200, 401)),
    ("change my language", "patch", lambda w: "/api/v1/me/", lambda w: {"language": "ko"}, "json", (200,) * 5 + (401,)),
    ("schema", "get", lambda w: "/api/schema/", None, None, (200, 200, 200, 200, 200, 401)),
    ("swagger ui", "get", lambda w: "/api/docs/", None, None, (200, 200, 200, 200, 200, 401)),
]

CASES = [
    pytest.param(name, method, url, body, fmt, role, expected, id=f"{name} / {role} -> {expected}")
    for name, method, url, body, fmt, statuses in TABLE
    for role, expected in zip(ROLES, statuses, strict=True)
]


# Endpoints with their own permission tests, because their answer depends on whose object it is.
ELSEWHERE = {
    ("token", "post"): "signing in, tests/api/test_auth_and_me.py and tests/security",
    ("token", "delete"): "revoking one's own token, tests/api/test_tokens.py",
    **dict.fromkeys(
        [
            ("notification-list", "get"),
            ("notification-detail", "get"),
            ("notification-read", "post"),
            ("notification-read-all", "post"),
            ("notification-unread-count", "get"),
        ],
        "each person's own notifications, tests/outbox/test_pages.py",
    ),
}


def api_routes() -> set[tuple[str, str]]:
    """(URL name, method) of every endpoint in the api namespace, read from the URL configuration."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace == "api" and "<format>" not in str(pattern.pattern):
                callback = pattern.callback
                # A viewset's actions, or an APIView's handlers. HEAD and OPTIONS follow GET and the
                # metadata class (DRF even adds "head" to a viewset's actions on its first GET).
                methods = getattr(callback, "actions", None) or {
                    method for method in callback.cls.http_method_names if hasattr(callback.cls, method)
                }
                yield from ((pattern.name, method) for method in methods if method not in ("head", "options"))

    return set(walk(get_resolver().url_patterns))


class AnyObject:
    pk = 1


def test_every_api_endpoint_and_method_has_a_row_in_the_table():
    world = SimpleNamespace(**{name: AnyObject() for name in World.__dataclass_fields__})
    rows = {(resolve(url(world).split("?")[0]).url_name, method) for _name, method, url, *_rest in TABLE}
    routes = api_routes()
    assert rows <= routes, f"rows for endpoints that do not exist: {sorted(rows - routes)}"
    assert routes - rows == set(ELSEWHERE), f"endpoints without a row: {sorted(routes - rows - set(ELSEWHERE))}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "url", "body", "fmt", "role", "expected"), CASES)
def test_endpoint_answers_role_with_expected_status(request, api, world, name, method, url, body, fmt, role, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = api(user)
    kwargs = {}
    if body is not None:
        kwargs = {"data": body(world), "format": fmt}
    response = getattr(client, method)(url(world), **kwargs)
    assert response.status_code == expected, getattr(response, "data", response)
    if expected >= 400 and response.get("Content-Type", "").startswith("application/json"):
        assert response.json().get("detail"), "refusals say why"
