"""Demo data: the National Bio Committee, its agencies and people, and proposals in every state of the workflow.

Everything that has a state is driven through `policies.services`, so each proposal has a real timeline.
The command is idempotent: each object is looked up by its natural key (committee code, agency acronym,
username, proposal or meeting title) and only what is missing is created.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.directory.models import Agency, Committee, CommitteeMembership, Profile
from policies import services
from policies.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    PolicyArea,
    ProgressReport,
    Proposal,
    ProposalState,
)
from policies.workflow import CONSULTABLE_STATES

EMAIL_DOMAIN = "bio-committee.example"  # a reserved domain: demo mail can never reach a real ministry

AGENCIES = [
    # acronym, Korean name, English name
    ("MSIT", "과학기술정보통신부", "Ministry of Science and ICT"),
    ("MOHW", "보건복지부", "Ministry of Health and Welfare"),
    ("MOTIE", "산업통상자원부", "Ministry of Trade, Industry and Energy"),
    ("MAFRA", "농림축산식품부", "Ministry of Agriculture, Food and Rural Affairs"),
    ("ME", "환경부", "Ministry of Environment"),
    ("MOF", "해양수산부", "Ministry of Oceans and Fisheries"),
    ("MFDS", "식품의약품안전처", "Ministry of Food and Drug Safety"),
    ("MOEF", "기획재정부", "Ministry of Economy and Finance"),
    ("KDCA", "질병관리청", "Korea Disease Control and Prevention Agency"),
]

NBC = ("NBC", "국가바이오위원회", "National Bio Committee")
SUBCOMMITTEES = [
    # code, kind, Korean name, English name, member agencies
    (
        "NBC-HEALTH",
        "subcommittee",
        "바이오헬스 분과위원회",
        "Bio-health subcommittee",
        ["MSIT", "MOHW", "MFDS", "KDCA"],
    ),
    (
        "NBC-FOOD",
        "subcommittee",
        "식량·그린바이오 분과위원회",
        "Food and green-bio subcommittee",
        ["MAFRA", "MFDS", "MOF"],
    ),
    ("NBC-RESOURCES", "subcommittee", "바이오자원 분과위원회", "Bio-resources subcommittee", ["MOF", "ME", "MSIT"]),
    (
        "NBC-ENERGY",
        "subcommittee",
        "바이오에너지·제조 분과위원회",
        "Bio-energy and manufacturing subcommittee",
        ["MOTIE", "ME"],
    ),
    ("NBC-ENV", "subcommittee", "바이오환경 분과위원회", "Bio-environment subcommittee", ["ME", "MOF", "MAFRA"]),
    (
        "NBC-DATA",
        "working_group",
        "바이오 데이터·AI 작업반",
        "Bio data and AI working group",
        ["MSIT", "MOHW", "KDCA", "MAFRA"],
    ),
]

# username, family name, given name, role, agency represented (ex-officio), language
MEMBERS = [
    ("member-1", "이", "서연", CommitteeMembership.Role.CHAIR, None, "ko"),
    ("member-2", "박", "준호", CommitteeMembership.Role.VICE_CHAIR, None, "ko"),
    ("member-3", "최", "경민", CommitteeMembership.Role.EX_OFFICIO, "MOEF", "ko"),
    ("member-4", "정", "하늘", CommitteeMembership.Role.EX_OFFICIO, "MSIT", "ko"),
    ("member-5", "강", "도윤", CommitteeMembership.Role.EX_OFFICIO, "MOTIE", "ko"),
    ("member-6", "조", "은비", CommitteeMembership.Role.EX_OFFICIO, "MOHW", "ko"),
    ("member-7", "윤", "재원", CommitteeMembership.Role.EX_OFFICIO, "MAFRA", "ko"),
    ("member-8", "장", "미경", CommitteeMembership.Role.EXPERT, None, "ko"),
    ("member-9", "임", "태호", CommitteeMembership.Role.EXPERT, None, "en"),
    ("member-10", "한", "지우", CommitteeMembership.Role.EXPERT, None, "ko"),
    ("member-11", "오", "세진", CommitteeMembership.Role.EXPERT, None, "ko"),
    ("member-12", "서", "민재", CommitteeMembership.Role.EXPERT, None, "ko"),
]
# Experts who also sit on a subcommittee or working group.
SUBCOMMITTEE_MEMBERS = {"NBC-HEALTH": ["member-8", "member-10"], "NBC-DATA": ["member-9", "member-12"]}

LIAISON_NAMES = {
    "MSIT": ("김", "민준"),
    "MOHW": ("이", "지원"),
    "MOTIE": ("박", "성훈"),
    "MAFRA": ("최", "수아"),
    "ME": ("정", "우진"),
    "MOF": ("강", "예린"),
    "MFDS": ("조", "현우"),
    "MOEF": ("윤", "서진"),
    "KDCA": ("장", "다은"),
}


@dataclass
class Story:
    """A proposal and how it got to where it is. Steps run in order through the services."""

    title: str
    lead: str
    area: str
    summary: str
    requested_decision: str
    body: str = ""
    secondary_areas: list[str] = field(default_factory=list)
    co_sponsors: list[str] = field(default_factory=list)
    budget_krw: int | None = None
    committee: str = "NBC"
    steps: list[tuple] = field(default_factory=list)
    days_ago: int = 30  # when the lead agency started drafting, for the timeline


def _bilingual(korean: str, english: str) -> str:
    return f"{korean}\n\n{english}"


# Proposals that do not depend on a meeting.
STORIES = [
    Story(
        title="국가 바이오 데이터 통합 플랫폼 구축 (National integrated bio data platform)",
        lead="MSIT",
        area="health",
        secondary_areas=["environment"],
        summary=_bilingual(
            "부처별로 흩어진 유전체·임상·환경 바이오 데이터를 표준화하여 하나의 플랫폼에서 연계·활용합니다.",
            "Standardise the genomic, clinical and environmental bio data now scattered across ministries and "
            "link it on one platform.",
        ),
        body="<p>1단계(2027–2028): 데이터 표준 및 공유 규약 마련</p>"
        "<p>2단계(2029–2030): 통합 검색·분석 서비스 개방</p>",
        requested_decision="플랫폼 구축 기본계획(안)을 의결하여 주시기 바랍니다. (Adopt the platform master plan.)",
        budget_krw=48_000_000_000,
        steps=[],
        days_ago=6,
    ),
    Story(
        title="감염병 대응 mRNA 백신 플랫폼 고도화 (Advancing the mRNA vaccine platform for epidemics)",
        lead="KDCA",
        area="health",
        summary=_bilingual(
            "차기 팬데믹 대비를 위해 mRNA 백신 후보물질 발굴부터 임상까지 100일 내 개발 체계를 구축합니다.",
            "Build a 100-day path from candidate to clinical trial for mRNA vaccines before the next pandemic.",
        ),
        requested_decision="mRNA 백신 플랫폼 고도화 계획(안) 의결 (Adopt the mRNA platform plan.)",
        budget_krw=120_000_000_000,
        co_sponsors=["MOHW"],
        steps=[],
        days_ago=3,
    ),
    Story(
        title="그린바이오 종자산업 육성 전략 (Green-bio seed industry strategy)",
        lead="MAFRA",
        area="food",
        secondary_areas=["resources"],
        summary=_bilingual(
            "유전자교정 등 신육종 기술을 활용한 기후적응형 종자 개발과 종자 수출 확대 전략입니다.",
            "Develop climate-adapted seeds with new breeding techniques such as gene editing, and grow seed exports.",
        ),
        body="<ul><li>디지털 육종 센터 2곳 구축</li><li>종자 수출 2030년 5억 달러 목표</li></ul>",
        requested_decision="그린바이오 종자산업 육성 전략(안)을 의결하여 주시기 바랍니다. (Adopt the strategy.)",
        budget_krw=35_000_000_000,
        steps=[
            ("submit",),
            ("consult", ["MSIT", "ME"], 10, "유전자교정 작물의 환경위해성 평가 절차에 대한 의견을 주십시오."),
            ("opinion", "MSIT", Consultation.Position.CONCUR, ""),
        ],
        days_ago=12,
    ),
    Story(
        title="첨단재생의료 임상연구 활성화 방안 (Boosting clinical research in advanced regenerative medicine)",
        lead="MOHW",
        area="health",
        summary=_bilingual(
            "첨단재생의료 임상연구 심의 기간을 단축하고 치료 접근성을 높이는 제도 개선안입니다.",
            "Shorten the review of clinical research in advanced regenerative medicine and widen patient access.",
        ),
        requested_decision="제도 개선 방안(안) 의결 (Adopt the reform.)",
        budget_krw=9_500_000_000,
        co_sponsors=["MFDS"],
        steps=[
            ("submit",),
            ("start_review",),
            ("consult", ["MOEF"], 5, "재정 소요 추계에 대한 의견을 요청합니다."),
            # Demo history: MOEF let this deadline pass without answering (see Seeder.age_timeline).
            ("deadline_passed", "MOEF"),
            ("consult", ["MFDS", "KDCA"], 10, "안전성 관리 방안에 대한 의견을 요청합니다."),
            (
                "opinion",
                "MFDS",
                Consultation.Position.CONCUR_WITH_CONDITIONS,
                "장기 추적조사 의무를 5년 이상으로 명시할 것을 조건으로 동의합니다. "
                "(We concur provided long-term follow-up of at least five years is required.)",
            ),
        ],
        days_ago=28,
    ),
    Story(
        title="바이오 기반 지속가능항공유(SAF) 실증 사업 (Bio-based sustainable aviation fuel pilot)",
        lead="MOTIE",
        area="energy",
        secondary_areas=["environment"],
        summary=_bilingual(
            "폐식용유·미세조류 기반 지속가능항공유 생산 실증 설비를 구축하고 국제 인증을 획득합니다.",
            "Build a pilot plant producing sustainable aviation fuel from used cooking oil and microalgae, "
            "and obtain international certification.",
        ),
        requested_decision="실증 사업 추진계획(안) 의결 (Adopt the pilot programme.)",
        budget_krw=62_000_000_000,
        steps=[
            ("submit",),
            ("start_review",),
            ("consult", ["ME"], 5, "전과정 온실가스 감축 효과 산정 방법에 대한 의견을 주십시오."),
            ("opinion", "ME", Consultation.Position.CONCUR, ""),
            (
                "return",
                "예산 산출 근거와 전과정 온실가스 감축 효과 추정치를 보완해 주십시오. "
                "(Add the budget breakdown and the estimated life-cycle greenhouse-gas reduction.)",
            ),
        ],
        days_ago=40,
    ),
    Story(
        title="생분해성 바이오플라스틱 인증제 개편 (Reform of biodegradable bioplastics certification)",
        lead="ME",
        area="environment",
        summary=_bilingual(
            "산업 퇴비화 조건에 한정된 생분해 인증 기준을 토양·해양 환경까지 확대합니다.",
            "Extend biodegradability certification from industrial composting to soil and marine conditions.",
        ),
        requested_decision="인증제 개편안 의결 (Adopt the reformed certification.)",
        steps=[
            ("submit",),
            (
                "withdraw",
                "환경부 자체 고시 개정으로 추진하기로 하여 철회합니다. (To be done by a ministry notice instead.)",
            ),
        ],
        days_ago=20,
    ),
    Story(
        title="국가 병원체자원은행 통합 운영 (Unified operation of the national pathogen resource banks)",
        lead="KDCA",
        area="health",
        secondary_areas=["resources"],
        committee="NBC-HEALTH",
        summary=_bilingual(
            "부처별 병원체자원은행의 분양 절차와 품질관리 기준을 통합합니다.",
            "Unify the distribution procedures and quality standards of the ministries' pathogen resource banks.",
        ),
        requested_decision="통합 운영 방안(안) 의결 (Adopt the unified operating plan.)",
        steps=[("submit",)],
        days_ago=4,
    ),
]

# The last plenary meeting: agenda published, attendance taken, decisions recorded, follow-up assigned.
PAST_MEETING = {
    "title": "제1차 국가바이오위원회 본회의 (1st plenary meeting)",
    "days_ago": 35,
    "location": "정부서울청사 별관 2층 대회의실 (Government Complex Seoul, annex, 2F)",
}
PAST_MEETING_STORIES = [
    (
        Story(
            title="합성생물학 바이오파운드리 구축 사업 (National biofoundry for synthetic biology)",
            lead="MSIT",
            area="health",
            secondary_areas=["energy"],
            co_sponsors=["MOTIE"],
            summary=_bilingual(
                "AI·로봇 기반 자동화 실험 설비(바이오파운드리)를 구축하여 합성생물학 연구개발 속도를 높입니다.",
                "Build an AI- and robot-driven automated lab (biofoundry) to speed up synthetic biology R&D.",
            ),
            body="<p>총사업비 1,263억 원, 2027–2031년</p><ul><li>중앙 파운드리 1곳</li><li>분원 2곳</li></ul>",
            requested_decision="바이오파운드리 구축 사업 추진계획(안) 의결 (Adopt the biofoundry programme.)",
            budget_krw=126_300_000_000,
            steps=[
                ("attach", "biofoundry-budget.csv", b"item,krw\ncentral foundry,86300000000\nbranches,40000000000\n"),
                ("submit",),
                ("start_review",),
                ("consult", ["MOEF", "MOTIE"], 10, "사업비 규모와 산업 연계 방안에 대한 의견을 요청합니다."),
                ("opinion", "MOTIE", Consultation.Position.CONCUR, ""),
                (
                    "opinion",
                    "MOEF",
                    Consultation.Position.CONCUR_WITH_CONDITIONS,
                    "예비타당성조사 결과에 따라 총사업비를 조정하는 조건으로 동의합니다. "
                    "(Concur, with the total cost adjusted to the feasibility study.)",
                ),
                ("accept",),
            ],
            days_ago=80,
        ),
        {
            "outcome": Decision.Outcome.ADOPTED,
            "resolution": "바이오파운드리 구축 사업 추진계획을 원안대로 의결한다. (Adopted as proposed.)",
            "votes": (10, 0, 1),
            "actions": [
                {
                    "agency": "MSIT",
                    "title": "바이오파운드리 예비타당성조사 신청 (Apply for the preliminary feasibility study)",
                    "due_in_days": 60,
                    "progress": [(40, "조사 신청서 초안 작성 완료 (Application drafted)")],
                },
                {
                    "agency": "MOEF",
                    "title": "2027년 예산안에 설계비 반영 (Design costs in the 2027 budget)",
                    "due_in_days": -5,  # overdue, never started
                    "progress": [],
                },
                {
                    "agency": "MOTIE",
                    "title": "바이오제조 전문인력 양성 계획 수립 (Bio-manufacturing workforce plan)",
                    "due_in_days": 20,
                    "progress": [(50, "수요 조사 완료 (Demand survey done)"), (100, "계획 수립 완료 (Plan adopted)")],
                    "verify": True,
                },
            ],
        },
    ),
    (
        Story(
            title="바이오헬스 규제 합리화 방안 (Streamlining bio-health regulation)",
            lead="MOHW",
            area="health",
            co_sponsors=["MFDS"],
            summary=_bilingual(
                "바이오의약품 허가 심사 기간을 단축하고 규제 샌드박스 실증특례를 확대합니다.",
                "Shorten the review of biologics and widen regulatory-sandbox exemptions.",
            ),
            requested_decision="규제 합리화 방안(안) 의결 (Adopt the regulatory reform.)",
            steps=[
                ("submit",),
                ("start_review",),
                ("consult", ["MFDS"], 10, "심사 인력 확충 계획에 대한 의견을 요청합니다."),
                ("opinion", "MFDS", Consultation.Position.CONCUR, ""),
                ("accept",),
            ],
            days_ago=70,
        ),
        {
            "outcome": Decision.Outcome.ADOPTED_WITH_AMENDMENTS,
            "resolution": "심사 기간 단축 목표를 420일에서 295일로 수정하여 의결한다. "
            "(Adopted with the review-time target amended from 420 to 295 days.)",
            "votes": (9, 1, 1),
            "actions": [
                {
                    "agency": "MFDS",
                    "title": "바이오의약품 심사기간 단축 시행규칙 개정 (Amend the rules to shorten biologics review)",
                    "due_in_days": -3,  # overdue although work has started
                    "progress": [(60, "입법예고 완료 (Draft rule published for comment)")],
                },
                {
                    "agency": "MOHW",
                    "title": "규제 샌드박스 실증특례 지정 (Designate regulatory-sandbox exemptions)",
                    "due_in_days": 90,
                    "progress": [],
                },
            ],
        },
    ),
    (
        Story(
            title="수송용 바이오연료 혼합의무 상향 (Raising the biofuel blending mandate for transport)",
            lead="MOTIE",
            area="energy",
            secondary_areas=["environment"],
            summary=_bilingual(
                "경유의 바이오디젤 혼합의무 비율을 2030년까지 8%로 상향합니다.",
                "Raise the biodiesel blending mandate for diesel to 8% by 2030.",
            ),
            requested_decision="혼합의무 상향안 의결 (Adopt the higher mandate.)",
            steps=[
                ("submit",),
                ("start_review",),
                ("consult", ["MOEF", "ME"], 10, "물가 영향과 원료 수급에 대한 의견을 요청합니다."),
                (
                    "opinion",
                    "MOEF",
                    Consultation.Position.OBJECT,
                    "연료 가격 상승 부담이 커 단계적 상향이 필요합니다. (Fuel prices would rise too fast.)",
                ),
                ("opinion", "ME", Consultation.Position.CONCUR, ""),
                ("accept",),
            ],
            days_ago=65,
        ),
        {
            "outcome": Decision.Outcome.REJECTED,
            "resolution": "원료 수급 대책 보완 후 재상정하기로 하고 원안은 부결한다. "
            "(Rejected; to return with a feedstock supply plan.)",
            "votes": (3, 7, 1),
            "actions": [],
        },
    ),
    (
        Story(
            title="해양바이오 소재 뱅크 확충 (Expanding the marine bio-materials bank)",
            lead="MOF",
            area="resources",
            secondary_areas=["environment"],
            summary=_bilingual(
                "해양생물 유래 소재 확보 규모를 5만 종으로 확대하고 산업계 분양을 늘립니다.",
                "Grow the marine bio-materials bank to 50,000 species and widen its distribution to industry.",
            ),
            requested_decision="소재 뱅크 확충 계획(안) 의결 (Adopt the expansion plan.)",
            budget_krw=21_000_000_000,
            steps=[("submit",), ("start_review",), ("accept",)],
            days_ago=60,
        ),
        {
            "outcome": Decision.Outcome.DEFERRED,
            "resolution": "관계부처 협의를 거쳐 다음 회의에 재상정한다. (Deferred to the next meeting.)",
            "votes": None,
            "actions": [],
        },
    ),
]
PAST_MEETING_REPORT = "국가바이오위원회 운영 현황 보고 (Report on the committee's operations)"

# The next plenary meeting: planned, agenda being prepared.
UPCOMING_MEETING = {
    "title": "제2차 국가바이오위원회 본회의 (2nd plenary meeting)",
    "days_ahead": 21,
    "location": "정부세종청사 6동 대회의실 (Government Complex Sejong, building 6)",
    "online_link": "https://meet.bio-committee.example/nbc-2",
}
UPCOMING_MEETING_STORIES = [
    Story(
        title="유전자원 접근·이익공유(ABS) 이행체계 개선 (Improving access and benefit-sharing under Nagoya)",
        lead="ME",
        area="environment",
        secondary_areas=["resources"],
        co_sponsors=["MOF"],
        summary=_bilingual(
            "나고야의정서 이행을 위한 해외 유전자원 이용 신고 절차를 간소화하고 기업 지원을 강화합니다.",
            "Simplify the notification of foreign genetic resources under the Nagoya Protocol and help companies "
            "comply.",
        ),
        requested_decision="ABS 이행체계 개선안 의결 (Adopt the ABS reform.)",
        steps=[
            ("submit",),
            ("start_review",),
            ("consult", ["MOF", "MAFRA"], 10, "소관 유전자원 목록을 확인해 주십시오."),
            ("opinion", "MOF", Consultation.Position.CONCUR, ""),
            ("opinion", "MAFRA", Consultation.Position.CONCUR, ""),
            ("accept",),
        ],
        days_ago=25,
    ),
    Story(
        title="세포배양식품 안전관리 기준 마련 (Safety standards for cell-cultured food)",
        lead="MFDS",
        area="food",
        co_sponsors=["MAFRA"],
        summary=_bilingual(
            "세포배양식품의 원료 인정, 제조 공정, 표시 기준을 마련합니다.",
            "Set the rules for approving, producing and labelling cell-cultured food.",
        ),
        requested_decision="안전관리 기준(안) 의결 (Adopt the safety standards.)",
        steps=[("submit",), ("start_review",), ("accept",)],
        days_ago=18,
    ),
]
UPCOMING_MEETING_BRIEFING = (
    "바이오 데이터·AI 작업반 활동 보고 (Briefing from the bio data and AI working group)",
    "MSIT",
)


def _meeting_day(offset_days: int) -> datetime.datetime:
    """14:00 KST on a weekday near today + offset (earlier weekday in the past, later one in the future)."""
    day = timezone.localdate() + datetime.timedelta(days=offset_days)
    step = -1 if offset_days < 0 else 1
    while day.weekday() >= 5:
        day += datetime.timedelta(days=step)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))


class Seeder:
    def __init__(self):
        self.created: dict[str, int] = {}
        self.password = settings.DEMO_PASSWORD
        self.passwords_current: bool | None = None
        self.now = timezone.now()

    def note(self, kind: str):
        self.created[kind] = self.created.get(kind, 0) + 1

    # --- directory ------------------------------------------------------------------------------

    def run(self):
        self.seed_directory()
        # Oldest stories first, so reference numbers follow the order in which proposals were submitted.
        self.seed_past_meeting()
        self.seed_stories()
        self.seed_upcoming_meeting()

    def seed_directory(self):
        self.agencies = {}
        for acronym, name_ko, name_en in AGENCIES:
            agency, created = Agency.objects.get_or_create(
                acronym=acronym, defaults={"name_ko": name_ko, "name_en": name_en}
            )
            self.agencies[acronym] = agency
            if created:
                self.note("agencies")
        code, name_ko, name_en = NBC
        self.nbc = self.committee(
            code,
            name_ko=name_ko,
            name_en=name_en,
            kind=Committee.Kind.PLENARY,
            description="바이오 분야 국가 전략과 부처 간 정책을 심의·조정하는 대통령 소속 위원회 "
            "(The presidential committee that deliberates on national bio strategy and coordinates ministries.)",
        )
        self.nbc.agencies.add(*self.agencies.values())
        self.committees = {code: self.nbc}
        for sub_code, kind, sub_ko, sub_en, members in SUBCOMMITTEES:
            sub = self.committee(sub_code, name_ko=sub_ko, name_en=sub_en, kind=kind, parent=self.nbc)
            sub.agencies.add(*(self.agencies[acronym] for acronym in members))
            self.committees[sub_code] = sub

        self.secretariat = self.user("secretariat", "국가바이오위원회", "사무국", is_staff=True)
        for committee in self.committees.values():
            committee.secretariat.add(self.secretariat)
        self.admin = self.user("admin", "", "", is_staff=True, is_superuser=True)

        self.liaisons = {}
        for acronym, _ko, _en in AGENCIES:
            last, first = LIAISON_NAMES[acronym]
            self.liaisons[acronym] = self.user(f"liaison-{acronym.lower()}", last, first, agency=self.agencies[acronym])

        # Terms began before the last meeting, so its attendance counts towards the quorum.
        term_start = timezone.localdate() - datetime.timedelta(days=300)
        self.members = {}
        for username, last, first, role, agency_acronym, language in MEMBERS:
            user = self.user(username, last, first, language=language)
            self.members[username] = user
            self.membership(self.nbc, user, role, term_start, self.agencies.get(agency_acronym))
        for code, usernames in SUBCOMMITTEE_MEMBERS.items():
            for username in usernames:
                self.membership(
                    self.committees[code], self.members[username], CommitteeMembership.Role.EXPERT, term_start, None
                )

    def committee(self, code, *, name_ko, name_en, kind, parent=None, description=""):
        committee, created = Committee.objects.get_or_create(
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "kind": kind,
                "parent": parent,
                "description": description,
            },
        )
        if created:
            self.note("committees")
        return committee

    def user(self, username, last_name, first_name, *, agency=None, language="ko", is_staff=False, is_superuser=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@{EMAIL_DOMAIN}",
                "last_name": last_name,
                "first_name": first_name,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        # Set the password only when it is not already the demo password: a second run leaves the hash alone,
        # and a changed DEMO_PASSWORD takes effect.
        if created or not self.has_demo_password(user):
            user.set_password(self.password)
            user.save(update_fields=["password"])
        profile, _profile_created = Profile.objects.get_or_create(
            user=user, defaults={"agency": agency, "language": language}
        )
        if agency is not None and profile.agency_id != agency.pk:
            profile.agency = agency
            profile.save(update_fields=["agency"])
        if created:
            self.note("users")
        return user

    def has_demo_password(self, user) -> bool:
        # A password check costs about half a second by design (PBKDF2). The demo users' passwords are always
        # set together, so the first existing user (secretariat) answers for all of them.
        if self.passwords_current is None:
            self.passwords_current = user.check_password(self.password)
        return self.passwords_current

    def membership(self, committee, user, role, term_start, agency):
        if CommitteeMembership.objects.filter(committee=committee, user=user).exists():
            return
        # Ex-officio members sit by virtue of their office; appointed members serve two-year terms.
        term_end = None if role == CommitteeMembership.Role.EX_OFFICIO else term_start + datetime.timedelta(days=730)
        CommitteeMembership.objects.create(
            committee=committee, user=user, role=role, agency=agency, term_start=term_start, term_end=term_end
        )
        self.note("memberships")

    # --- proposals -----------------------------------------------------------------------------

    def seed_stories(self):
        for story in sorted(STORIES + UPCOMING_MEETING_STORIES, key=lambda story: -story.days_ago):
            if self.find(story) is None:
                proposal = self.tell(story)
                self.age_timeline(proposal, story.days_ago, end=self.now - datetime.timedelta(hours=2))

    def find(self, story: Story) -> Proposal | None:
        return Proposal.objects.filter(committee__code=story.committee, title=story.title).first()

    def tell(self, story: Story) -> Proposal:
        """Draft the proposal as its lead liaison and take every step of its story through the services."""
        liaison = self.liaisons[story.lead]
        areas = PolicyArea.objects.in_bulk(field_name="code")
        proposal = services.create_proposal(
            by=liaison,
            committee=self.committees[story.committee],
            title=story.title,
            summary=story.summary,
            body=story.body,
            requested_decision=story.requested_decision,
            policy_area=areas[story.area],
            estimated_budget_krw=story.budget_krw,
            co_sponsors=[self.agencies[acronym] for acronym in story.co_sponsors],
            secondary_areas=[areas[code] for code in story.secondary_areas],
        )
        self.note("proposals")
        for step in story.steps:
            action, *args = step
            if action == "attach":
                name, content = args
                upload = SimpleUploadedFile(name, content, content_type="text/csv")
                services.add_attachment(proposal, by=liaison, uploaded_file=upload)
            elif action in ("submit", "withdraw"):
                proposal = services.transition_proposal(proposal, action, by=liaison, comment=args[0] if args else "")
            elif action in ("start_review", "accept", "return"):
                proposal = services.transition_proposal(
                    proposal, action, by=self.secretariat, comment=args[0] if args else ""
                )
            elif action == "consult":
                acronyms, working_days, question = args
                services.request_consultations(
                    proposal,
                    by=self.secretariat,
                    agencies=[self.agencies[acronym] for acronym in acronyms],
                    working_days=working_days,
                    question=question,
                )
                self.created["consultations"] = self.created.get("consultations", 0) + len(acronyms)
            elif action == "opinion":
                acronym, position, opinion = args
                consultation = Consultation.objects.get(proposal=proposal, agency__acronym=acronym)
                services.give_opinion(consultation, by=self.liaisons[acronym], position=position, opinion=opinion)
            elif action == "deadline_passed":
                pass  # applied by age_timeline, after the timeline has its dates
            else:  # pragma: no cover - a typo in the demo script
                raise ValueError(f"unknown demo step {action!r}")
        proposal.refresh_from_db()
        return proposal

    def age_timeline(self, proposal: Proposal, days_ago: int, *, end: datetime.datetime):
        """Demo history only: spread the events the services just wrote over the weeks the story took.

        The services stamp everything with the current time (and refuse past deadlines), which would make a
        demo where every proposal was drafted a second ago. These updates touch timestamps and deadlines
        only, never states, and run once, when the object is created.
        """
        start = self.now - datetime.timedelta(days=days_ago)
        events = list(proposal.events.order_by("id"))
        last_agenda_event = None
        if events and events[-1].action in ("decide", "defer"):
            last_agenda_event = events.pop()
        step = (end - start) / max(len(events), 1)
        for index, event in enumerate(events):
            event.created_at = start + step * index
        for event in events:
            type(event).objects.filter(pk=event.pk).update(created_at=event.created_at)
        when = {event.action: event.created_at for event in events}
        last = last_agenda_event.created_at if last_agenda_event else (events[-1].created_at if events else start)
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=start, submitted_at=when.get("submit", proposal.submitted_at), updated_at=last
        )
        opinions = [event for event in events if event.action == "opinion"]
        # The n-th "consult" event is the n-th consult step of the story.
        request_steps = [step for step in self.story_of(proposal).steps if step[0] == "consult"]
        requested = {
            acronym: event.created_at
            for step, event in zip(request_steps, (e for e in events if e.action == "consult"), strict=False)
            for acronym in step[1]
        }
        # Consultations whose proposal has moved on keep their length: their deadlines move back with them.
        consultations_closed = Proposal.objects.get(pk=proposal.pk).state not in CONSULTABLE_STATES
        for consultation in proposal.consultations.select_related("agency"):
            acronym = consultation.agency.acronym
            requested_at = requested.get(acronym, start)
            changes = {"requested_at": requested_at}
            if consultation.is_answered:
                changes["answered_at"] = next(
                    (e.created_at for e in opinions if e.comment.startswith(f"{acronym}:")), requested_at
                )
                if consultations_closed:
                    changes["deadline"] = consultation.deadline - (
                        timezone.localdate() - timezone.localdate(requested_at)
                    )
                    self.redate_request_event(proposal, consultation.deadline, changes["deadline"])
            Consultation.objects.filter(pk=consultation.pk).update(**changes)
        for step_ in (s for s in self.story_of(proposal).steps if s[0] == "deadline_passed"):
            # An agency that never answered: its deadline was a few days ago.
            consultation = Consultation.objects.get(proposal=proposal, agency__acronym=step_[1])
            deadline = timezone.localdate() - datetime.timedelta(days=3)
            Consultation.objects.filter(pk=consultation.pk).update(deadline=deadline)
            self.redate_request_event(proposal, consultation.deadline, deadline)

    def redate_request_event(self, proposal, old: datetime.date, new: datetime.date):
        """Keep the timeline's "opinion requested by <date>" in step with a moved deadline."""
        for event in proposal.events.filter(action="consult", comment__contains=old.isoformat()):
            type(event).objects.filter(pk=event.pk).update(
                comment=event.comment.replace(old.isoformat(), new.isoformat())
            )

    def story_of(self, proposal: Proposal) -> Story:
        all_stories = STORIES + [story for story, _outcome in PAST_MEETING_STORIES] + UPCOMING_MEETING_STORIES
        return next(story for story in all_stories if story.title == proposal.title)

    # --- meetings ------------------------------------------------------------------------------

    def seed_past_meeting(self):
        if Meeting.objects.filter(committee=self.nbc, title=PAST_MEETING["title"]).exists():
            return
        starts_at = _meeting_day(-PAST_MEETING["days_ago"])
        proposals = []
        for story, _outcome in PAST_MEETING_STORIES:
            proposal = self.find(story) or self.tell(story)
            if proposal.state != ProposalState.ACCEPTED:
                raise ValueError(f"demo proposal {story.title!r} exists but is {proposal.state}, not accepted")
            proposals.append(proposal)
        meeting = services.create_meeting(
            by=self.secretariat,
            committee=self.nbc,
            title=PAST_MEETING["title"],
            kind=Meeting.Kind.PLENARY,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            location=PAST_MEETING["location"],
            submission_cutoff=starts_at - datetime.timedelta(days=14),
        )
        self.note("meetings")
        items = [services.add_agenda_item(meeting, by=self.secretariat, proposal=p) for p in proposals]
        services.add_agenda_item(
            meeting, by=self.secretariat, kind=AgendaItem.Kind.REPORT, title=PAST_MEETING_REPORT, presenter=None
        )
        services.publish_agenda(meeting, by=self.secretariat)
        for username, member in self.members.items():
            if username == "member-5":
                services.record_attendance(
                    meeting,
                    by=self.secretariat,
                    member=member,
                    status=Attendance.Status.REPRESENTED,
                    delegate_name="산업통상자원부 제1차관 (First Vice Minister, MOTIE)",
                )
            else:
                status = Attendance.Status.ABSENT if username == "member-11" else Attendance.Status.PRESENT
                services.record_attendance(meeting, by=self.secretariat, member=member, status=status)
        for index, (item, (_story, outcome)) in enumerate(zip(items, PAST_MEETING_STORIES, strict=True)):
            votes = outcome["votes"] or (None, None, None)
            decision = services.record_decision(
                item,
                by=self.secretariat,
                outcome=outcome["outcome"],
                resolution=outcome["resolution"],
                votes_for=votes[0],
                votes_against=votes[1],
                abstentions=votes[2],
                decided_at=starts_at + datetime.timedelta(minutes=20 + 25 * index),
            )
            self.note("decisions")
            for spec in outcome["actions"]:
                self.assign_action(decision, spec, meeting_day=starts_at)
        services.mark_meeting_held(meeting, by=self.secretariat)

        # Demo history only: the agenda went out a week before the meeting, and each proposal's timeline
        # ends with the decision taken at the meeting.
        Meeting.objects.filter(pk=meeting.pk).update(
            created_at=starts_at - datetime.timedelta(days=21),
            agenda_published_at=starts_at - datetime.timedelta(days=7),
        )
        for proposal, item in zip(proposals, items, strict=True):
            decision = Decision.objects.get(agenda_item=item)
            Decision.objects.filter(pk=decision.pk).update(created_at=decision.decided_at)
            proposal.events.filter(action__in=("decide", "defer")).update(created_at=decision.decided_at)
            self.age_timeline(proposal, self.story_of(proposal).days_ago, end=starts_at - datetime.timedelta(days=8))

    def assign_action(self, decision: Decision, spec: dict, *, meeting_day: datetime.datetime):
        due = timezone.localdate() + datetime.timedelta(days=spec["due_in_days"])
        # The service refuses past due dates, as it should for real work; an overdue demo action is
        # assigned with a future date and then given its past one below.
        action = services.assign_follow_up_action(
            decision,
            by=self.secretariat,
            agency=self.agencies[spec["agency"]],
            title=spec["title"],
            due_date=max(due, timezone.localdate()),
        )
        self.note("follow-up actions")
        liaison = self.liaisons[spec["agency"]]
        progress = spec["progress"]
        for index, (percent, text) in enumerate(progress):
            reported_on = timezone.localdate() - datetime.timedelta(days=7 * (len(progress) - index))
            services.report_progress(
                action,
                by=liaison,
                text=text,
                percent_complete=percent,
                reports_done=percent == 100,
                reported_on=reported_on,
            )
        if spec.get("verify"):
            services.verify_action(action, by=self.secretariat)
        # Demo history only (see above): assigned the day after the meeting, and past due where the story says so.
        assigned = meeting_day + datetime.timedelta(days=1)
        FollowUpAction.objects.filter(pk=action.pk).update(created_at=assigned, due_date=due)
        for report in ProgressReport.objects.filter(action=action):
            ProgressReport.objects.filter(pk=report.pk).update(
                created_at=timezone.make_aware(datetime.datetime.combine(report.reported_on, datetime.time(10, 0)))
            )

    def seed_upcoming_meeting(self):
        if Meeting.objects.filter(committee=self.nbc, title=UPCOMING_MEETING["title"]).exists():
            return
        starts_at = _meeting_day(UPCOMING_MEETING["days_ahead"])
        proposals = [self.find(story) for story in UPCOMING_MEETING_STORIES]  # told by seed_stories
        meeting = services.create_meeting(
            by=self.secretariat,
            committee=self.nbc,
            title=UPCOMING_MEETING["title"],
            kind=Meeting.Kind.PLENARY,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            location=UPCOMING_MEETING["location"],
            online_link=UPCOMING_MEETING["online_link"],
            submission_cutoff=starts_at - datetime.timedelta(days=14),
        )
        self.note("meetings")
        for proposal in proposals:
            if proposal.state == ProposalState.ACCEPTED:
                services.add_agenda_item(meeting, by=self.secretariat, proposal=proposal)
        title, presenter = UPCOMING_MEETING_BRIEFING
        services.add_agenda_item(
            meeting, by=self.secretariat, kind=AgendaItem.Kind.BRIEFING, title=title, presenter=self.agencies[presenter]
        )


# What the summary counts, in the operator's language.
KINDS = {
    "agencies": gettext_lazy("agencies"),
    "committees": gettext_lazy("committees"),
    "consultations": gettext_lazy("consultations"),
    "decisions": gettext_lazy("decisions"),
    "follow-up actions": gettext_lazy("follow-up actions"),
    "meetings": gettext_lazy("meetings"),
    "memberships": gettext_lazy("committee memberships"),
    "proposals": gettext_lazy("proposals"),
    "users": gettext_lazy("users"),
}


class Command(BaseCommand):
    help = "Create (or complete) the demo committee, agencies, people and proposals. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-debug",
            action="store_true",
            help="Seed even though DEBUG is off (a staging copy, the test suite). Never on a live system.",
        )

    def handle(self, *args, **options):
        # The demo creates a superuser and two dozen accounts with a published password.
        if not settings.DEBUG and not options["without_debug"]:
            raise CommandError(
                _(
                    "Refusing to create demo accounts with a published password while DEBUG is off. "
                    "Use --without-debug if this really is a demo or test database."
                )
            )
        seeder = Seeder()
        # One transaction: a failure leaves the database as it was, never half a story.
        with transaction.atomic():
            seeder.run()
        if seeder.created:
            summary = ", ".join(f"{KINDS[kind]} {count}" for kind, count in sorted(seeder.created.items()))
            self.stdout.write(self.style.SUCCESS(_("Demo data created: %(summary)s.") % {"summary": summary}))
        else:
            self.stdout.write(_("Demo data already present; nothing to do."))
        self.stdout.write(
            _("Demo logins (password from DEMO_PASSWORD): secretariat, admin, %(liaisons)s, member-1 … member-%(n)s.")
            % {
                "liaisons": ", ".join(f"liaison-{acronym.lower()}" for acronym, *_rest in AGENCIES),
                "n": len(MEMBERS),
            }
        )
