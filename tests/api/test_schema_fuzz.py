"""Schemathesis, every check, against /api/schema/ as a liaison, as the secretariat and anonymously: 0 failures.

The run is what `schemathesis run` does with all its checks (its engine: examples, coverage, fuzzing and
stateful phases, positive and negative data) against a live server over the test world. A small example
count keeps it in the normal suite; `bin/fuzz` (FUZZ_EXAMPLES=200) is the long run the README reports.
"""

import collections
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import schemathesis
from schemathesis.engine import events, from_schema

from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
SEED = os.environ.get("FUZZ_SEED")
# The coverage phase sends a fixed ~1,500 boundary cases per caller whatever the example count, and is the
# only one that runs `missing_required_header` and `unsupported_method` (tests/api/test_json_errors.py
# walks every route for 405s in the normal suite): the long run has it, the suite's short run does not.
PHASES = os.environ.get("FUZZ_PHASES", "examples,fuzzing,stateful").split(",")

# Refusals of well-formed requests that no schema can state, so `positive_data_acceptance` (which expects
# 2xx/401/403/404/409 for schema-valid data) is told them per operation. Everything else, every check, as is.
#   400: a code that names no object (committee, agency, policy area, proposal), a rule across fields or
#        against today (a comment to return, an opinion text unless concurring, a deadline in the past,
#        a report dated in the future), a file whose content is not of an accepted type, wrong credentials;
#   412: a stale If-Match; 413: a file over the size limit; for meetings, decisions and actions: the model's
#        rules across fields (a place or a link, the end after the start, a title for a report), ids that are
#        not this agenda's, a member not on the committee that day, an empty agenda to publish, votes that do
#        not fit the attendance or the outcome, a due date in the past; for minutes: a meeting one cannot see,
#        item ids not on the meeting's agenda, a text or reason of blanks only, a public summary of blanks.
REFUSALS_NO_SCHEMA_CAN_STATE = {
    "POST /api/v1/auth/token/": ["400"],
    "GET /api/v1/proposals/": ["400"],
    "POST /api/v1/proposals/": ["400"],
    "PATCH /api/v1/proposals/{id}/": ["400", "412"],
    "POST /api/v1/proposals/{id}/transitions/": ["400"],
    "POST /api/v1/proposals/{id}/attachments/": ["400", "413"],
    "GET /api/v1/consultations/": ["400"],
    "POST /api/v1/consultations/": ["400"],
    "POST /api/v1/consultations/{id}/opinion/": ["400"],
    "GET /api/v1/meetings/": ["400"],
    "POST /api/v1/meetings/": ["400"],
    "PATCH /api/v1/meetings/{id}/": ["400"],
    "POST /api/v1/meetings/{id}/items/": ["400"],
    "POST /api/v1/meetings/{id}/reorder/": ["400"],
    "POST /api/v1/meetings/{id}/publish/": ["400"],
    "POST /api/v1/meetings/{id}/attendance/": ["400"],
    "POST /api/v1/decisions/": ["400"],
    "POST /api/v1/decisions/{id}/publish/": ["400"],
    "GET /api/v1/minutes/": ["400"],
    "POST /api/v1/minutes/": ["400"],
    "POST /api/v1/minutes/{id}/summaries/": ["400"],
    "POST /api/v1/minutes/{id}/correct/": ["400"],
    "POST /api/v1/minutes/{id}/comments/": ["400"],
    "POST /api/v1/actions/": ["400"],
    "GET /api/v1/decisions/": ["400"],
    "GET /api/v1/actions/": ["400"],
    "POST /api/v1/actions/{id}/progress/": ["400"],
    "PATCH /api/v1/me/": ["400"],
}
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis' own default


@dataclass
class Outcome:
    documented: int
    operations: set = field(default_factory=set)
    cases: int = 0
    cases_by_phase: collections.Counter = field(default_factory=collections.Counter)
    failures: list = field(default_factory=list)
    details: list = field(default_factory=list)
    seconds: float = 0.0

    def record(self, event) -> None:
        if isinstance(event, events.ScenarioFinished):
            self.operations.add(event.recorder.label)
            self.cases += len(event.recorder.cases)
            self.cases_by_phase[event.phase.value] += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        self.add(event.recorder.label, check.name, check.failure_info)
        elif isinstance(event, events.NonFatalError):
            self.failures.append((event.label, "error", str(event.value).splitlines()[0]))
            self.details.append(f"{event.label} [error]\n{event.info.message}\n{event.info.traceback}\n")
        elif isinstance(event, events.FatalError):
            raise event.exception

    def add(self, operation, check, info) -> None:
        failure = str(info.failure)
        self.failures.append((operation, check, " / ".join(failure.splitlines()[:3:2])))
        self.details.append(f"{operation} [{check}]\n{failure}\n{info.code_sample}\n")

    @property
    def tested(self) -> set:
        return self.operations - {"Stateful tests"}

    def summary(self, caller) -> str:
        failing = {operation for operation, _, _ in self.failures}
        head = (
            f"{caller}: {len(self.tested)} of {self.documented} operations (+ stateful), {self.cases} cases, "
            f"{len(self.failures)} failures in {len(failing)}, {self.seconds:.0f} s, {EXAMPLES} examples, "
            f"({', '.join(f'{phase} {count}' for phase, count in sorted(self.cases_by_phase.items()))})"
        )
        grouped = collections.Counter(self.failures)
        lines = [f"  {count} x {operation} [{check}] {first}" for (operation, check, first), count in grouped.items()]
        return "\n".join([head, *sorted(lines)])


def token_for(base_url, username):
    body = {"username": username, "password": PASSWORD}
    response = requests.post(f"{base_url}/api/v1/auth/token/", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def config_for(headers, revocable_headers=None) -> schemathesis.Config:
    """`revocable_headers`: a second token of the caller's, for DELETE /auth/token/, so revoking it does not
    sign the rest of the run out (every later case would only see 401)."""
    settings = {
        "headers": headers,
        "workers": 1,
        "cache": {"enabled": False},  # every run starts from the schema alone, and leaves no files behind
        "checks": {"enabled": True},  # every check schemathesis has
        "generation": {"max-examples": EXAMPLES, "database": "none"},
        "phases": {phase: {"enabled": phase in PHASES} for phase in ("examples", "coverage", "fuzzing", "stateful")},
        "operations": [
            {
                "include-name": operation,
                "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED + statuses}},
            }
            for operation, statuses in REFUSALS_NO_SCHEMA_CAN_STATE.items()
        ],
    }
    if revocable_headers:
        settings["operations"].append({"include-name": "DELETE /api/v1/auth/token/", "headers": revocable_headers})
    if SEED:
        settings["seed"] = int(SEED)
    return schemathesis.Config.from_dict(settings)


def fuzz(base_url, *, schema_headers, headers, revocable_headers=None) -> Outcome:
    location = f"{base_url}/api/schema/?format=json"
    config = config_for(headers, revocable_headers)
    schema = schemathesis.openapi.from_url(location, config=config, headers=schema_headers)
    outcome = Outcome(documented=sum(1 for _ in schema.get_all_operations()))
    started = time.monotonic()
    for event in from_schema(schema).execute():
        outcome.record(event)
    outcome.seconds = time.monotonic() - started
    return outcome


@pytest.mark.parametrize("caller", ["liaison-msit", "secretariat", None], ids=["liaison", "secretariat", "anonymous"])
def test_the_api_honours_its_schema(live_server, world, caller, record_property):
    base_url = live_server.url
    schema_headers = {"Authorization": f"Token {token_for(base_url, 'secretariat')}"}
    headers = {"Authorization": f"Token {token_for(base_url, caller)}"} if caller else {}
    revocable = {"Authorization": f"Token {token_for(base_url, caller)}"} if caller else None
    outcome = fuzz(base_url, schema_headers=schema_headers, headers=headers, revocable_headers=revocable)
    summary = outcome.summary(caller or "anonymous")
    record_property("summary", summary)  # printed under the results (tests/conftest.py), from any process
    if outcome.details and os.environ.get("TEST_OUTPUT_DIR"):
        report = Path(os.environ["TEST_OUTPUT_DIR"]) / f"schema-fuzz-{caller or 'anonymous'}.txt"
        report.write_text("\n".join(outcome.details))
    assert len(outcome.tested) == outcome.documented, summary
    assert not outcome.failures, summary
    if caller:  # the run's own token outlived it: every case ran signed in, not as a 401
        assert requests.get(f"{base_url}/api/v1/me/", headers=headers, timeout=30).status_code == 200
