"""Every endpoint x every role x the status it must answer: one table, read row by row.

Roles, in column order: secretariat, lead liaison (MSIT, owns the proposals), other liaison (MOHW, consulted),
committee member, outsider (signed in, no role), anonymous. 404 means "not visible to you" (other agencies'
drafts never leak); 403 means "visible, but your role may not do this"; 409 means "the state forbids it".
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone

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


def new_meeting(w):
    starts_at = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    return {"committee": "NBC", "title": "3rd plenary meeting", "starts_at": starts_at, "location": "Sejong"}


def decide_open_item(w):
    return {"agenda_item": w.open_item.pk, "outcome": "adopted", "resolution": "Adopted as proposed."}


def assign_action(w):
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    return {"decision": w.decision.pk, "agency": "MSIT", "title": "Report to the cabinet", "due_date": due}


# The secretariat's writes on meetings, decisions and actions: the owner's, the others' 403 (404 if invisible).
SECRETARIAT_ONLY = (403, 403, 403, 404, 401)


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
    (
        "extend a consultation's deadline",
        "post",
        lambda w: f"/api/v1/consultations/{w.consultation.pk}/extend/",
        lambda w: {"working_days": 30},
        "json",
        (200, 403, 403, 403, 404, 401),
    ),
    (
        "close a consultation",
        "post",
        lambda w: f"/api/v1/consultations/{w.consultation.pk}/close/",
        lambda w: {"reason": "Decided without it."},
        "json",
        (200, 403, 403, 403, 404, 401),
    ),
    (
        "withdraw a consultation request",
        "post",
        lambda w: f"/api/v1/consultations/{w.consultation.pk}/withdraw/",
        lambda w: {},
        "json",
        (200, 403, 403, 403, 404, 401),
    ),
    (
        "accept a proposal still awaiting opinions, without saying what becomes of them",
        "post",
        lambda w: f"/api/v1/proposals/{w.under_review.pk}/transitions/",
        lambda w: {"action": "accept"},
        "json",
        (409, 403, 403, 403, 404, 401),
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
    ("call a meeting", "post", lambda w: "/api/v1/meetings/", new_meeting, "json", (201, 403, 403, 403, 403, 401)),
    (
        "change a meeting",
        "patch",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/",
        lambda w: {"location": "Sejong"},
        "json",
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "put a report on the agenda",
        "post",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/items/",
        lambda w: {"kind": "report", "title": "Budget briefing"},
        "json",
        (201, *SECRETARIAT_ONLY),
    ),
    (
        "what to carry over onto the agenda",
        "get",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/suggestions/",
        None,
        None,
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "take an item off the agenda",
        "delete",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/items/{w.report_item.pk}/",
        None,
        None,
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "reorder the agenda",
        "post",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/reorder/",
        lambda w: {"items": [w.report_item.pk]},
        "json",
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "publish the agenda",
        "post",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/publish/",
        None,
        None,
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "cancel a meeting",
        "post",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/cancel/",
        lambda w: {"reason": "The minister cannot attend."},
        "json",
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "record attendance",
        "post",
        lambda w: f"/api/v1/meetings/{w.meeting.pk}/attendance/",
        lambda w: {"member": "member-1", "status": "absent"},
        "json",
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "record attendance before the meeting starts",
        "post",
        lambda w: f"/api/v1/meetings/{w.planned.pk}/attendance/",
        lambda w: {"member": "member-1", "status": "present"},
        "json",
        (409, *SECRETARIAT_ONLY),
    ),
    (
        "mark a meeting held",
        "post",
        lambda w: f"/api/v1/meetings/{w.meeting.pk}/held/",
        None,
        None,
        (200, *SECRETARIAT_ONLY),
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
    (
        "record a decision",
        "post",
        lambda w: "/api/v1/decisions/",
        decide_open_item,
        "json",
        (201, 403, 403, 403, 403, 401),
    ),
    (
        "make a decision public",
        "post",
        lambda w: f"/api/v1/decisions/{w.decision.pk}/publish/",
        lambda w: {"summary": "The plan is adopted."},
        "json",
        (409, *SECRETARIAT_ONLY),  # its meeting's minutes are not final
    ),
    (
        "withdraw a decision from the public register",
        "post",
        lambda w: f"/api/v1/decisions/{w.decision.pk}/unpublish/",
        None,
        None,
        (409, *SECRETARIAT_ONLY),  # it is not public
    ),
    ("minutes list", "get", lambda w: "/api/v1/minutes/", None, None, (200, 200, 200, 200, 200, 401)),
    (
        "minutes detail",
        "get",
        lambda w: f"/api/v1/minutes/{w.minutes.pk}/",
        None,
        None,
        (200, 200, 200, 200, 404, 401),
    ),
    (
        "start minutes",
        "post",
        lambda w: "/api/v1/minutes/",
        lambda w: {"meeting": w.minutes.meeting_id},
        "json",
        (200, 403, 403, 403, 403, 401),  # started already: the existing minutes
    ),
    (
        "write discussion summaries",
        "post",
        lambda w: f"/api/v1/minutes/{w.minutes.pk}/summaries/",
        lambda w: {"summaries": {str(w.minutes.meeting.items.get().pk): "Discussed."}},
        "json",
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "send minutes for review",
        "post",
        lambda w: f"/api/v1/minutes/{w.minutes.pk}/review/",
        lambda w: {"working_days": 5},
        "json",
        (409, *SECRETARIAT_ONLY),  # in review already
    ),
    (
        "finalise minutes",
        "post",
        lambda w: f"/api/v1/minutes/{w.minutes.pk}/finalise/",
        None,
        None,
        (200, *SECRETARIAT_ONLY),
    ),
    (
        "correct final minutes",
        "post",
        lambda w: f"/api/v1/minutes/{w.minutes.pk}/correct/",
        lambda w: {"reason": "Typo"},
        "json",
        (409, *SECRETARIAT_ONLY),  # not final yet
    ),
    (
        "comment on minutes",
        "post",
        lambda w: f"/api/v1/minutes/{w.minutes.pk}/comments/",
        lambda w: {"text": "Agreed."},
        "json",
        (403, 403, 403, 201, 404, 401),  # members only
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
    ("assign an action", "post", lambda w: "/api/v1/actions/", assign_action, "json", (201, 403, 403, 403, 403, 401)),
    (
        "verify an action reported done",
        "post",
        lambda w: f"/api/v1/actions/{w.done_action.pk}/verify/",
        None,
        None,
        (200, 403, 403, 403, 404, 401),
    ),
    (
        "reopen an action reported done",
        "post",
        lambda w: f"/api/v1/actions/{w.done_action.pk}/reopen/",
        lambda w: {"comment": "The guidance is not yet online."},
        "json",
        (200, 403, 403, 403, 404, 401),
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
    ("meeting-document-file", "get"): "a meeting's papers, tests/papers/test_downloads.py",
    **dict.fromkeys(
        [
            ("opinion-attachment-detail", "get"),
            ("opinion-attachment-download", "get"),
            ("progress-attachment-detail", "get"),
            ("progress-attachment-download", "get"),
        ],
        "files of opinions and progress reports, by who may see them: tests/api/test_letters.py",
    ),
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
