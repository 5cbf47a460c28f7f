"""The Korean catalogue: complete, compiled, true to its placeholders, and used by the pages, API and emails."""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from committee.outbox.delivery import make_message
from policies.models import Decision, ProposalState
from policies.workflow import Actor, InvalidState, NotPermitted, check_transition
from tests import cast

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE_DIR / "ko" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "ko" / "LC_MESSAGES" / "django.mo"
# The one command that refreshes the catalogue (also in locale/README.md).
MAKEMESSAGES = "manage.py makemessages -l ko --ignore=.venv --ignore=var --ignore=test-results --ignore=bench"
# Folders makemessages must not see when it runs on a copy of the project.
NOT_SOURCE = {".git", ".venv", "var", "test-results", "bench", "locale", "__pycache__", "staticfiles", "media"}


# --- a small .po reader (polib is not a dependency) --------------------------------------------------


def read_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr ({index or None: text}), flags."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and entry["msgid"] is not None and not entry["obsolete"]:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
            entry["obsolete"] = False
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line):
            keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword == "msgstr":
                field = ("msgstr", int(index) if index is not None else None)
                entry["msgstr"][field[1]] = text
            else:
                field = (keyword, None)
                entry[keyword] = text
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += text
            else:
                entry[field[0]] += text
        else:
            raise AssertionError(f"Unreadable line in {path}: {line!r}")
    finish()
    return entries


def key(entry):
    return (entry["msgctxt"], entry["msgid"])


def label(entry):
    return f"{entry['msgctxt']}|{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]


@pytest.fixture(scope="module")
def catalogue():
    entries = read_po(PO_PATH)
    header = next(entry for entry in entries if entry["msgid"] == "")
    return header, [entry for entry in entries if entry["msgid"] != ""]


# --- the catalogue itself ----------------------------------------------------------------------------


def test_header_declares_korean_with_one_plural_form_and_is_not_fuzzy(catalogue):
    header, _ = catalogue
    assert "fuzzy" not in header["flags"], "a fuzzy header is left out of the .mo, with its charset and plural rule"
    text = header["msgstr"][None]
    assert "Language: ko\n" in text
    assert "Plural-Forms: nplurals=1; plural=0;\n" in text
    assert "charset=UTF-8" in text


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    _, entries = catalogue
    assert len(entries) > 600
    fuzzy = [label(entry) for entry in entries if "fuzzy" in entry["flags"]]
    untranslated = [label(entry) for entry in entries if not all(entry["msgstr"].values()) or not entry["msgstr"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"


def test_plural_entries_have_exactly_the_one_korean_form(catalogue):
    _, entries = catalogue
    plural = [entry for entry in entries if entry["msgid_plural"] is not None]
    assert plural, "the catalogue should hold the portal's and emails' plural messages"
    assert [label(entry) for entry in plural if set(entry["msgstr"]) != {0}] == []


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd%]|\{[a-z_]*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def test_translations_keep_every_placeholder_and_tag_of_the_english(catalogue):
    _, entries = catalogue
    wrong = []
    for entry in entries:
        for index, text in entry["msgstr"].items():
            source = entry["msgid_plural"] if index and entry["msgid_plural"] else entry["msgid"]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append((label(entry), "placeholders", PLACEHOLDER.findall(source), PLACEHOLDER.findall(text)))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
                wrong.append((label(entry), "tags", TAG.findall(source), TAG.findall(text)))
    assert wrong == []


def test_committee_vocabulary_is_used_consistently(catalogue):
    _, entries = catalogue
    translated = {key(entry): entry["msgstr"].get(None) or entry["msgstr"].get(0) for entry in entries}
    expected = {
        "proposal": "제안",
        "agenda item": "안건",
        "consultation": "협의",
        "opinion": "의견",
        "Secretariat": "사무국",
        "Chair": "위원장",
        "Vice-chair": "부위원장",
        "Ex-officio member": "당연직 위원",
        "Appointed expert": "위촉 위원",
        "decision": "의결",
        "follow-up action": "후속 조치",
        "quorum": "의사정족수",
        "Deferred": "보류",
        "Adopted": "원안 의결",
        "Adopted with amendments": "수정 의결",
        "Rejected": "부결",
        "Withdrawn": "철회",
        "Returned for revision": "보완 요청",
        "Under review": "검토 중",
        "Submitted": "제출됨",
        "Draft": "작성 중",
        "Accepted for an agenda": "상정 확정",
        "Scheduled": "회의 상정",
        "National Bio Committee": "국가바이오위원회",
    }
    assert {msgid: translated.get((None, msgid)) for msgid in expected} == expected


def test_compiled_catalogue_holds_exactly_the_po_translations(catalogue):
    """The committed .mo is what Django loads; it must be compiled from the committed .po, not an older one."""
    _, entries = catalogue
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("plural-forms") == "nplurals=1; plural=0;"
    expected = {}
    for entry in entries:
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]
        if entry["msgid_plural"] is None:
            expected[msgid] = entry["msgstr"][None]
        else:
            expected[(msgid, 0)] = entry["msgstr"][0]
    actual = {msgid: text for msgid, text in compiled._catalog.items() if msgid != ""}
    stale = sorted(str(msgid) for msgid in set(expected) ^ set(actual))
    stale += sorted(str(msgid) for msgid in set(expected) & set(actual) if expected[msgid] != actual[msgid])
    assert stale == [], "django.mo is out of date: run manage.py compilemessages -l ko --ignore=.venv"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext to extract messages")
def test_every_string_marked_in_the_code_is_in_the_catalogue(tmp_path, catalogue):
    """Extract the messages afresh from a copy of the project and look for any the catalogue lacks."""
    _, entries = catalogue
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=lambda folder, names: [name for name in names if name in NOT_SOURCE])
    (copy / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, *MAKEMESSAGES.split(), "--no-location"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    extracted = {key(entry) for entry in read_po(copy / "locale" / "ko" / "LC_MESSAGES" / "django.po")}
    extracted.discard((None, ""))
    assert len(extracted) > 600
    missing = sorted(f"{ctx}|{msgid}" if ctx else msgid for ctx, msgid in extracted - {key(e) for e in entries})
    assert missing == [], f"not in locale/ko/LC_MESSAGES/django.po; run {MAKEMESSAGES} and translate: {missing}"


# --- the catalogue at work ---------------------------------------------------------------------------


def test_states_outcomes_and_action_labels_render_in_korean():
    with translation.override("ko"):
        assert str(ProposalState.SUBMITTED.label) == "제출됨"
        assert str(ProposalState.RETURNED.label) == "보완 요청"
        assert [str(label) for label in Decision.Outcome.labels] == ["원안 의결", "수정 의결", "부결", "보류"]
    with translation.override("en"):
        assert str(ProposalState.SUBMITTED.label) == "Submitted"


def test_workflow_refusals_read_in_korean_with_their_placeholders_filled():
    with translation.override("ko"):
        with pytest.raises(InvalidState) as refused_by_state:
            check_transition(ProposalState.DRAFT, "accept", {Actor.SECRETARIAT})
        with pytest.raises(NotPermitted) as refused_by_role:
            check_transition(ProposalState.DRAFT, "submit", {Actor.SECRETARIAT})
        with pytest.raises(InvalidState) as unknown:
            check_transition(ProposalState.DRAFT, "launch", {Actor.SECRETARIAT})
    assert (
        refused_by_state.value.message
        == "‘작성 중’ 상태인 제안에는 ‘상정 확정’ 작업을 할 수 없습니다. 가능한 상태: 검토 중."
    )
    assert refused_by_role.value.message == "이 제안에 대한 ‘제출’ 권한이 없습니다."
    assert unknown.value.message == "알 수 없는 작업입니다: “launch”."


def test_the_same_term_gets_its_own_korean_in_each_context():
    from policies.models import Consultation, FollowUpAction, PolicyArea, ProposalEvent

    with translation.override("ko"):
        assert str(PolicyArea._meta.get_field("position").verbose_name) == "표시 순서"
        assert str(Consultation._meta.get_field("position").verbose_name) == "입장"
        assert str(FollowUpAction.Status.OPEN.label) == "착수 전"
        assert str(ProposalEvent._meta.get_field("from_state").verbose_name) == "변경 전 상태"


def test_api_refusal_reaches_a_korean_client_in_korean(client, lead_liaison, proposal_in_state, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "i18n"}}
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client.force_login(cast.speaks(lead_liaison, "ko"))
    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/transitions/",
        {"action": "start_review"},
        content_type="application/json",
        headers={"accept-language": "ko"},
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "이 제안에 대한 ‘검토 시작’ 권한이 없습니다.", "code": "not_permitted"}


def test_login_page_is_korean_by_default(client, settings):
    settings.LANGUAGE_CODE = "ko"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "국가바이오위원회 담당관, 위원, 사무국 전용입니다." in html
    assert "Log in" not in html


def test_login_page_follows_accept_language_ko(client):
    assert settings.LANGUAGE_CODE == "en"  # other tests' default, so the header is what chooses Korean
    html = client.get(reverse("login"), headers={"accept-language": "ko-KR,ko;q=0.9,en;q=0.5"}).content.decode()
    assert '<html lang="ko">' in html and "로그인" in html
    english = client.get(reverse("login"), headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in english and "Log in" in english


def test_language_cookie_chooses_korean(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    html = client.get(reverse("login"), headers={"accept-language": "en"}).content.decode()
    assert '<html lang="ko">' in html and "로그인" in html


def test_portal_home_in_korean_for_a_liaison(client, lead_liaison, proposal_in_state):
    proposal_in_state(ProposalState.SUBMITTED)
    client.force_login(cast.speaks(lead_liaison, "ko"))
    html = client.get(reverse("portal:home"), headers={"accept-language": "ko"}).content.decode()
    for text in ["우리 기관의 제안", "새 제안 작성", "제출됨", "로그아웃", "바이오위원회 업무지원시스템"]:
        assert text in html, text


def test_proposal_list_counts_with_the_one_korean_plural_form(client, lead_liaison, proposal_in_state):
    proposal_in_state(ProposalState.SUBMITTED)
    proposal_in_state(ProposalState.UNDER_REVIEW)
    client.force_login(cast.speaks(lead_liaison, "ko"))
    html = client.get(reverse("portal:proposal_list"), headers={"accept-language": "ko"}).content.decode()
    assert "제안 2건" in html


def test_proposal_page_offers_workflow_buttons_in_korean(client, lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client.force_login(cast.speaks(lead_liaison, "ko"))
    html = client.get(reverse("portal:proposal", args=[proposal.pk]), headers={"accept-language": "ko"})
    html = html.content.decode()
    for text in ["가능한 작업", "철회", "처리 이력", "의결 요청 사항", "주관 기관"]:
        assert text in html, text


def test_admin_dashboard_in_korean_for_the_secretariat(client, secretariat, proposal_in_state):
    proposal_in_state(ProposalState.UNDER_REVIEW)
    client.force_login(cast.speaks(secretariat, "ko"))
    response = client.get(reverse("admin:policies_dashboard"), headers={"accept-language": "ko"})
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "위원회 현황판",
        "정책 분야·상태별 제안",
        "검토 중",
        "기한이 지난 후속 조치",
        "바이오위원회 업무지원시스템",
    ]:
        assert text in html, text


def test_email_renders_in_the_language_asked_whatever_the_callers(lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    with translation.override("en"):
        message = make_message("proposal-submitted", "desk@example.go.kr", {"proposal": proposal}, language="ko")
    assert message.subject == f"새 제안 {proposal.reference} 제출"
    assert "사무국의 검토를 기다리고 있습니다." in message.body
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    assert "바이오위원회 업무지원시스템" in html


def test_setlang_switches_a_korean_visitor_to_english_and_back(client):
    korean = {"accept-language": "ko"}
    assert "로그인" in client.get(reverse("login"), headers=korean).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, headers=korean)
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    html = client.get(reverse("login"), headers=korean).content.decode()
    assert '<html lang="en">' in html and "Log in" in html and "로그인" not in html

    client.post(reverse("set_language"), {"language": "ko", "next": reverse("login")})
    assert '<html lang="ko">' in client.get(reverse("login")).content.decode()


def test_setlang_to_a_language_the_site_does_not_offer_falls_back_to_the_browsers(client):
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("login")}, headers={"accept-language": "ko"}
    )
    assert response.status_code == 302
    # Django keeps any language it has files for in the cookie; LocaleMiddleware then skips one not in LANGUAGES.
    html = client.get(reverse("login"), headers={"accept-language": "ko"}).content.decode()
    assert '<html lang="ko">' in html and "로그인" in html
