"""Timeline event kinds are one vocabulary: choices on the model, one label each, shown alike by every face."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from committee.outbox.delivery import make_message
from policies.models import ProposalEvent, ProposalState
from policies.workflow import TRANSITIONS
from tests import cast

Action = ProposalEvent.Action
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_event_kind_has_exactly_one_label_of_its_own(language):
    with translation.override(language):
        labels = [str(label) for label in Action.labels]
    assert all(label and label not in Action.values for label in labels)  # a label, not the raw value
    assert len(set(labels)) == len(labels) == len(set(Action.values))
    assert ProposalEvent._meta.get_field("action").choices == Action.choices


def test_workflow_transitions_are_event_kinds_named_by_the_same_label():
    for action, transition in TRANSITIONS.items():
        assert transition.label == Action(action).label


def recorded_kinds() -> set[str]:
    """The kinds the verbs write: the literal actions given to (_)record_event anywhere in policies/."""
    kinds = set()
    for path in (Path(settings.BASE_DIR) / "policies").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and len(node.args) > 1):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if name.endswith("record_event"):
                kinds |= {c.value for c in ast.walk(node.args[1]) if isinstance(c, ast.Constant)}
    return kinds


def test_every_kind_the_verbs_record_is_declared():
    kinds = recorded_kinds()
    assert {"create", "edit", "attach", "detach", "consult", "opinion", "opinion_revised"} <= kinds
    assert kinds <= set(Action.values)
    assert set(Action.values) == kinds | set(TRANSITIONS)  # and nothing is declared that nobody writes


@pytest.fixture
def every_kind(proposal_in_state, secretariat):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    for kind in Action:
        ProposalEvent.objects.create(proposal=proposal, action=kind, actor=secretariat)
    return proposal


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_portal_timeline_shows_each_kinds_label(client, lead_liaison, every_kind, language):
    client.force_login(cast.speaks(lead_liaison, language))
    page = client.get(f"/proposals/{every_kind.pk}/")
    assert page.status_code == 200
    with translation.override(language):
        for kind in Action:
            assert f"<strong>{kind.label}</strong>" in page.content.decode(), kind


def test_the_admin_timeline_shows_each_kinds_label(client, secretariat, every_kind):
    client.force_login(secretariat)
    page = client.get(f"/admin/policies/proposal/{every_kind.pk}/change/", headers={"accept-language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    for kind in Action:
        assert f">{kind.label}<" in html, kind


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_email_about_a_step_names_it_by_its_label(every_kind, language):
    event = every_kind.events.filter(action=Action.RETURN).get()
    message = make_message(
        "proposal-transitioned", "x@example.go.kr", {"proposal": every_kind, "event": event}, language=language
    )
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    with translation.override(language):
        label = str(Action.RETURN.label)
    assert label in message.body and label in html
