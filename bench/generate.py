"""Benchmark data: many proposals across agencies, areas and states, made through the services like real ones.

On top of the demo committee (seed_demo runs first), it drafts proposals as random liaisons and drives each
to a state drawn from STATE_WEIGHTS (policies/demo/drive.py, as the demo and the test cast do), with
consultations and opinions on the way; proposals bound for an agenda are grouped into meetings of up to 20
items, decided ones at meetings in the past. Every change goes through policies.services, so timelines,
numbers and notifications are the real ones.

Run it against the database you want to measure (PostgreSQL for any figure worth quoting):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bio_bench DEBUG=true \\
        .venv/bin/python bench/generate.py --proposals 1000 --seed 1

Proposals are titled "[bench-<seed>] ..."; running again with the same seed adds only what is missing up to
--proposals. It prints how long each proposal took and how many queries it needed.
"""

import argparse
import datetime
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from committee.dates import seoul_today  # noqa: E402
from committee.directory.models import Committee  # noqa: E402
from policies import services  # noqa: E402
from policies.demo.drive import drive_proposal_to  # noqa: E402
from policies.models import Consultation, PolicyArea, Proposal, ProposalState  # noqa: E402

S = ProposalState
STATE_WEIGHTS = {
    S.DRAFT: 15,
    S.SUBMITTED: 15,
    S.UNDER_REVIEW: 15,
    S.RETURNED: 5,
    S.ACCEPTED: 10,
    S.SCHEDULED: 10,
    S.DECIDED: 25,
    S.WITHDRAWN: 5,
}
ITEMS_PER_MEETING = 20
COMMENTS = {S.WITHDRAWN: "Withdrawn for the benchmark."}
TOPICS = [
    ("바이오 소재 실증", "bio-materials pilot"),
    ("유전체 데이터 공유", "genomic data sharing"),
    ("바이오 인력 양성", "bio workforce training"),
    ("감염병 진단 플랫폼", "infectious disease diagnostics"),
    ("바이오연료 원료 수급", "biofuel feedstock supply"),
    ("해양 미생물 자원화", "marine microbial resources"),
    ("스마트팜 종자", "smart-farm seeds"),
    ("바이오 규제 샌드박스", "bio regulatory sandbox"),
]


class QueryCounter:
    """Counts every statement sent to the database (unlike the debug query log, it has no length limit)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.label = f"[bench-{seed}]"
        User = get_user_model()
        self.nbc = Committee.objects.get(code="NBC")
        self.secretariat = User.objects.get(username="secretariat")
        self.agencies = list(self.nbc.agencies.order_by("acronym"))
        self.liaisons = {
            a.pk: User.objects.get(profile__agency=a, username__startswith="liaison-") for a in self.agencies
        }
        self.areas = list(PolicyArea.objects.filter(is_active=True))
        self.waiting = {S.SCHEDULED: [], S.DECIDED: []}
        self.meetings = 0

    def proposal(self, number: int) -> Proposal:
        target = self.rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]
        lead = self.rng.choice(self.agencies)
        liaison = self.liaisons[lead.pk]
        korean, english = self.rng.choice(TOPICS)
        proposal = services.create_proposal(
            by=liaison,
            committee=self.nbc,
            title=f"{self.label} {number:05d} {korean} ({english})",
            summary=f"{korean} 추진 방안입니다. A plan for {english}.",
            requested_decision="추진 방안(안) 의결 (Adopt the plan.)",
            policy_area=self.rng.choice(self.areas),
            estimated_budget_krw=self.rng.randrange(1, 500) * 100_000_000,
        )
        # Proposals bound for an agenda stop at accepted and wait for a meeting of their kind.
        stop = S.ACCEPTED if target in self.waiting else target
        proposal = drive_proposal_to(
            proposal,
            stop,
            liaison=liaison,
            secretariat=self.secretariat,
            comment=COMMENTS.get(stop, ""),
            on_reach=lambda reached: self.consult(reached, lead),
        )
        if target in self.waiting:
            self.waiting[target].append(proposal)
        return proposal

    def consult(self, proposal: Proposal, lead):
        """Under review: ask one to three other agencies, of whom most answer."""
        if proposal.state != S.UNDER_REVIEW:
            return
        others = [agency for agency in self.agencies if agency.pk != lead.pk]
        consulted = self.rng.sample(others, k=self.rng.randint(1, 3))
        services.request_consultations(proposal, by=self.secretariat, agencies=consulted, working_days=10)
        for consultation in Consultation.objects.filter(proposal=proposal, agency__in=consulted):
            if self.rng.random() < 0.6:
                services.give_opinion(
                    consultation,
                    by=self.liaisons[consultation.agency_id],
                    position=Consultation.Position.CONCUR,
                    opinion="",
                )

    def meeting(self, target: str):
        """Put the waiting proposals on one meeting: planned ahead for scheduled, held in the past for decided."""
        proposals, self.waiting[target] = self.waiting[target], []
        if not proposals:
            return
        self.meetings += 1
        days = self.rng.randint(7, 60) * (1 if target == S.SCHEDULED else -1)
        meeting = services.create_meeting(
            by=self.secretariat,
            committee=self.nbc,
            title=f"{self.label} meeting {self.meetings}",
            starts_at=timezone.now() + datetime.timedelta(days=days),
            location="Government Complex Sejong",
        )
        # Every item goes on the agenda before the first decision publishes it and takes the attendance.
        for stop in (S.SCHEDULED, target):
            proposals = [
                drive_proposal_to(
                    proposal,
                    stop,
                    liaison=self.liaisons[proposal.lead_agency_id],
                    secretariat=self.secretariat,
                    meeting=meeting,
                )
                for proposal in proposals
            ]
        if target == S.DECIDED:
            services.mark_meeting_held(meeting, by=self.secretariat)


def generate(proposals: int, seed: int = 1, out=sys.stdout) -> dict:
    """Create up to `proposals` benchmark proposals for this seed; return what was measured."""
    call_command("seed_demo", "--without-debug", stdout=open(os.devnull, "w"))  # noqa: SIM115
    generator = Generator(seed)
    existing = Proposal.objects.filter(title__startswith=generator.label).count()
    durations, query_counts = [], []
    counter = QueryCounter()
    meeting_started = time.perf_counter()
    meeting_seconds = 0.0
    with connection.execute_wrapper(counter):
        for number in range(existing + 1, proposals + 1):
            started, counter.count = time.perf_counter(), 0
            with transaction.atomic():
                generator.proposal(number)
            durations.append(time.perf_counter() - started)
            query_counts.append(counter.count)
            for target, waiting in generator.waiting.items():
                if len(waiting) >= ITEMS_PER_MEETING:
                    meeting_started = time.perf_counter()
                    with transaction.atomic():
                        generator.meeting(target)
                    meeting_seconds += time.perf_counter() - meeting_started
        for target in list(generator.waiting):
            meeting_started = time.perf_counter()
            with transaction.atomic():
                generator.meeting(target)
            meeting_seconds += time.perf_counter() - meeting_started
    made = len(durations)
    result = {
        "created": made,
        "total": Proposal.objects.filter(title__startswith=generator.label).count(),
        "states": dict(
            Counter(Proposal.objects.filter(title__startswith=generator.label).values_list("state", flat=True))
        ),
        "meetings": generator.meetings,
        "meeting_seconds": round(meeting_seconds, 2),
        "proposal_seconds": round(sum(durations), 2),
        "ms_per_proposal": round(1000 * sum(durations) / made, 1) if made else 0,
        "queries_per_proposal": round(sum(query_counts) / made, 1) if made else 0,
        "database": connection.vendor,
    }
    out.write(f"{result}\n")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=200, help="how many benchmark proposals there should be")
    parser.add_argument("--seed", type=int, default=1, help="random seed, also part of the titles")
    parser.add_argument(
        "--bulk",
        action="store_true",
        help="write a government-sized database with COPY instead of through the services (bench/bulk.py)",
    )
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=None,
        help="bulk mode: the day deadlines are spread around (default: today in Seoul); with --seed, fixes every row",
    )
    args = parser.parse_args()
    if args.bulk:
        from bulk import generate_bulk

        call_command("seed_demo", "--without-debug", stdout=open(os.devnull, "w"))  # noqa: SIM115
        generate_bulk(args.proposals, args.seed, args.today or seoul_today())
    else:
        generate(args.proposals, args.seed)


if __name__ == "__main__":
    main()
