"""The demo's story, as plain data: the committee, its agencies and people, proposals and meetings.

policies/demo/driver.py tells it through the services; change the story here, not there. Texts are Korean
first and English after, as the committee writes them. Values of choices are the models' own ("concur",
"adopted", "chair"); a typo is refused when the story is told.
"""

EMAIL_DOMAIN = "bio-committee.example"  # a reserved domain: demo mail can never reach a real ministry

# acronym: (Korean name, English name, liaison's family name, liaison's given name)
AGENCIES = {
    "MSIT": ("과학기술정보통신부", "Ministry of Science and ICT", "김", "민준"),
    "MOHW": ("보건복지부", "Ministry of Health and Welfare", "이", "지원"),
    "MOTIE": ("산업통상자원부", "Ministry of Trade, Industry and Energy", "박", "성훈"),
    "MAFRA": ("농림축산식품부", "Ministry of Agriculture, Food and Rural Affairs", "최", "수아"),
    "ME": ("환경부", "Ministry of Environment", "정", "우진"),
    "MOF": ("해양수산부", "Ministry of Oceans and Fisheries", "강", "예린"),
    "MFDS": ("식품의약품안전처", "Ministry of Food and Drug Safety", "조", "현우"),
    "MOEF": ("기획재정부", "Ministry of Economy and Finance", "윤", "서진"),
    "KDCA": ("질병관리청", "Korea Disease Control and Prevention Agency", "장", "다은"),
}

# The plenary committee; every agency is a member of it.
PLENARY = {
    "code": "NBC",
    "name_ko": "국가바이오위원회",
    "name_en": "National Bio Committee",
    "description": "바이오 분야 국가 전략과 부처 간 정책을 심의·조정하는 대통령 소속 위원회 "
    "(The presidential committee that deliberates on national bio strategy and coordinates ministries.)",
}

# Under the plenary: code, kind, Korean name, English name, member agencies.
SUBCOMMITTEES = [
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

# Staff of the plenary and of every subcommittee: username, family name, given name.
SECRETARIAT = ("secretariat", "국가바이오위원회", "사무국")
SUPERUSER = "admin"

# Members of the plenary: username, family name, given name, role, agency represented (ex officio), language.
MEMBERS = [
    ("member-1", "이", "서연", "chair", None, "ko"),
    ("member-2", "박", "준호", "vice_chair", None, "ko"),
    ("member-3", "최", "경민", "ex_officio", "MOEF", "ko"),
    ("member-4", "정", "하늘", "ex_officio", "MSIT", "ko"),
    ("member-5", "강", "도윤", "ex_officio", "MOTIE", "ko"),
    ("member-6", "조", "은비", "ex_officio", "MOHW", "ko"),
    ("member-7", "윤", "재원", "ex_officio", "MAFRA", "ko"),
    ("member-8", "장", "미경", "expert", None, "ko"),
    ("member-9", "임", "태호", "expert", None, "en"),
    ("member-10", "한", "지우", "expert", None, "ko"),
    ("member-11", "오", "세진", "expert", None, "ko"),
    ("member-12", "서", "민재", "expert", None, "ko"),
]
# Experts who also sit on a subcommittee or working group.
SUBCOMMITTEE_MEMBERS = {"NBC-HEALTH": ["member-8", "member-10"], "NBC-DATA": ["member-9", "member-12"]}
# Terms began this many days ago, before the last meeting, so its attendance counts towards the quorum.
TERMS_BEGAN_DAYS_AGO = 300

# Proposals. Each is drafted by its lead agency's liaison `days_ago` days ago and driven to `state`
# (policies/demo/drive.py ROUTES says through which moves). On the way:
#   attachments    files added to the draft: (name, content)
#   consultations  requested while under review (while submitted, if it goes no further), in order, each
#                  with the opinions given: {agency: (position, opinion)}; `past_deadline` means the
#                  agencies that did not answer let the deadline pass
#   comment        said with the last move (a withdrawal, a return)
# Proposals on a meeting's agenda (MEETINGS below) are accepted here; the meeting takes them on.
PROPOSALS = [
    {
        "key": "data-platform",
        "title": "국가 바이오 데이터 통합 플랫폼 구축 (National integrated bio data platform)",
        "lead": "MSIT",
        "area": "health",
        "secondary_areas": ["environment"],
        "summary": (
            "부처별로 흩어진 유전체·임상·환경 바이오 데이터를 표준화하여 하나의 플랫폼에서 연계·활용합니다.",
            "Standardise the genomic, clinical and environmental bio data now scattered across ministries and "
            "link it on one platform.",
        ),
        "body": "<p>1단계(2027–2028): 데이터 표준 및 공유 규약 마련</p>"
        "<p>2단계(2029–2030): 통합 검색·분석 서비스 개방</p>",
        "requested_decision": "플랫폼 구축 기본계획(안)을 의결하여 주시기 바랍니다. (Adopt the platform master plan.)",
        "budget_krw": 48_000_000_000,
        "state": "draft",
        "days_ago": 6,
    },
    {
        "key": "mrna",
        "title": "감염병 대응 mRNA 백신 플랫폼 고도화 (Advancing the mRNA vaccine platform for epidemics)",
        "lead": "KDCA",
        "co_sponsors": ["MOHW"],
        "area": "health",
        "summary": (
            "차기 팬데믹 대비를 위해 mRNA 백신 후보물질 발굴부터 임상까지 100일 내 개발 체계를 구축합니다.",
            "Build a 100-day path from candidate to clinical trial for mRNA vaccines before the next pandemic.",
        ),
        "requested_decision": "mRNA 백신 플랫폼 고도화 계획(안) 의결 (Adopt the mRNA platform plan.)",
        "budget_krw": 120_000_000_000,
        "state": "draft",
        "days_ago": 3,
    },
    {
        "key": "seeds",
        "title": "그린바이오 종자산업 육성 전략 (Green-bio seed industry strategy)",
        "lead": "MAFRA",
        "area": "food",
        "secondary_areas": ["resources"],
        "summary": (
            "유전자교정 등 신육종 기술을 활용한 기후적응형 종자 개발과 종자 수출 확대 전략입니다.",
            "Develop climate-adapted seeds with new breeding techniques such as gene editing, and grow seed exports.",
        ),
        "body": "<ul><li>디지털 육종 센터 2곳 구축</li><li>종자 수출 2030년 5억 달러 목표</li></ul>",
        "requested_decision": "그린바이오 종자산업 육성 전략(안)을 의결하여 주시기 바랍니다. (Adopt the strategy.)",
        "budget_krw": 35_000_000_000,
        "state": "submitted",
        "consultations": [
            {
                "agencies": ["MSIT", "ME"],
                "working_days": 10,
                "question": "유전자교정 작물의 환경위해성 평가 절차에 대한 의견을 주십시오.",
                "opinions": {"MSIT": ("concur", "")},
            },
        ],
        "days_ago": 12,
    },
    {
        "key": "regenerative-medicine",
        "title": "첨단재생의료 임상연구 활성화 방안 (Boosting clinical research in advanced regenerative medicine)",
        "lead": "MOHW",
        "co_sponsors": ["MFDS"],
        "area": "health",
        "summary": (
            "첨단재생의료 임상연구 심의 기간을 단축하고 치료 접근성을 높이는 제도 개선안입니다.",
            "Shorten the review of clinical research in advanced regenerative medicine and widen patient access.",
        ),
        "requested_decision": "제도 개선 방안(안) 의결 (Adopt the reform.)",
        "budget_krw": 9_500_000_000,
        "state": "under_review",
        "consultations": [
            {
                "agencies": ["MOEF"],
                "working_days": 5,
                "question": "재정 소요 추계에 대한 의견을 요청합니다.",
                "opinions": {},
                "past_deadline": True,  # MOEF never answered
            },
            {
                "agencies": ["MFDS", "KDCA"],
                "working_days": 10,
                "question": "안전성 관리 방안에 대한 의견을 요청합니다.",
                "opinions": {
                    "MFDS": (
                        "concur_with_conditions",
                        "장기 추적조사 의무를 5년 이상으로 명시할 것을 조건으로 동의합니다. "
                        "(We concur provided long-term follow-up of at least five years is required.)",
                    ),
                },
            },
        ],
        "days_ago": 28,
    },
    {
        "key": "aviation-fuel",
        "title": "바이오 기반 지속가능항공유(SAF) 실증 사업 (Bio-based sustainable aviation fuel pilot)",
        "lead": "MOTIE",
        "area": "energy",
        "secondary_areas": ["environment"],
        "summary": (
            "폐식용유·미세조류 기반 지속가능항공유 생산 실증 설비를 구축하고 국제 인증을 획득합니다.",
            "Build a pilot plant producing sustainable aviation fuel from used cooking oil and microalgae, "
            "and obtain international certification.",
        ),
        "requested_decision": "실증 사업 추진계획(안) 의결 (Adopt the pilot programme.)",
        "budget_krw": 62_000_000_000,
        "state": "returned",
        "consultations": [
            {
                "agencies": ["ME"],
                "working_days": 5,
                "question": "전과정 온실가스 감축 효과 산정 방법에 대한 의견을 주십시오.",
                "opinions": {"ME": ("concur", "")},
            },
        ],
        "comment": "예산 산출 근거와 전과정 온실가스 감축 효과 추정치를 보완해 주십시오. "
        "(Add the budget breakdown and the estimated life-cycle greenhouse-gas reduction.)",
        "days_ago": 40,
    },
    {
        "key": "bioplastics",
        "title": "생분해성 바이오플라스틱 인증제 개편 (Reform of biodegradable bioplastics certification)",
        "lead": "ME",
        "area": "environment",
        "summary": (
            "산업 퇴비화 조건에 한정된 생분해 인증 기준을 토양·해양 환경까지 확대합니다.",
            "Extend biodegradability certification from industrial composting to soil and marine conditions.",
        ),
        "requested_decision": "인증제 개편안 의결 (Adopt the reformed certification.)",
        "state": "withdrawn",
        "comment": "환경부 자체 고시 개정으로 추진하기로 하여 철회합니다. (To be done by a ministry notice instead.)",
        "days_ago": 20,
    },
    {
        "key": "pathogen-banks",
        "title": "국가 병원체자원은행 통합 운영 (Unified operation of the national pathogen resource banks)",
        "committee": "NBC-HEALTH",
        "lead": "KDCA",
        "area": "health",
        "secondary_areas": ["resources"],
        "summary": (
            "부처별 병원체자원은행의 분양 절차와 품질관리 기준을 통합합니다.",
            "Unify the distribution procedures and quality standards of the ministries' pathogen resource banks.",
        ),
        "requested_decision": "통합 운영 방안(안) 의결 (Adopt the unified operating plan.)",
        "state": "submitted",
        "days_ago": 4,
    },
    # --- decided (or deferred) at the 1st plenary meeting ---
    {
        "key": "biofoundry",
        "title": "합성생물학 바이오파운드리 구축 사업 (National biofoundry for synthetic biology)",
        "lead": "MSIT",
        "co_sponsors": ["MOTIE"],
        "area": "health",
        "secondary_areas": ["energy"],
        "summary": (
            "AI·로봇 기반 자동화 실험 설비(바이오파운드리)를 구축하여 합성생물학 연구개발 속도를 높입니다.",
            "Build an AI- and robot-driven automated lab (biofoundry) to speed up synthetic biology R&D.",
        ),
        "body": "<p>총사업비 1,263억 원, 2027–2031년</p><ul><li>중앙 파운드리 1곳</li><li>분원 2곳</li></ul>",
        "requested_decision": "바이오파운드리 구축 사업 추진계획(안) 의결 (Adopt the biofoundry programme.)",
        "budget_krw": 126_300_000_000,
        "attachments": [
            ("biofoundry-budget.csv", "item,krw\ncentral foundry,86300000000\nbranches,40000000000\n"),
        ],
        "state": "accepted",
        "consultations": [
            {
                "agencies": ["MOEF", "MOTIE"],
                "working_days": 10,
                "question": "사업비 규모와 산업 연계 방안에 대한 의견을 요청합니다.",
                "opinions": {
                    "MOTIE": ("concur", ""),
                    "MOEF": (
                        "concur_with_conditions",
                        "예비타당성조사 결과에 따라 총사업비를 조정하는 조건으로 동의합니다. "
                        "(Concur, with the total cost adjusted to the feasibility study.)",
                    ),
                },
            },
        ],
        "days_ago": 80,
    },
    {
        "key": "regulation",
        "title": "바이오헬스 규제 합리화 방안 (Streamlining bio-health regulation)",
        "lead": "MOHW",
        "co_sponsors": ["MFDS"],
        "area": "health",
        "summary": (
            "바이오의약품 허가 심사 기간을 단축하고 규제 샌드박스 실증특례를 확대합니다.",
            "Shorten the review of biologics and widen regulatory-sandbox exemptions.",
        ),
        "requested_decision": "규제 합리화 방안(안) 의결 (Adopt the regulatory reform.)",
        "state": "accepted",
        "consultations": [
            {
                "agencies": ["MFDS"],
                "working_days": 10,
                "question": "심사 인력 확충 계획에 대한 의견을 요청합니다.",
                "opinions": {"MFDS": ("concur", "")},
            },
        ],
        "days_ago": 70,
    },
    {
        "key": "biofuel-mandate",
        "title": "수송용 바이오연료 혼합의무 상향 (Raising the biofuel blending mandate for transport)",
        "lead": "MOTIE",
        "area": "energy",
        "secondary_areas": ["environment"],
        "summary": (
            "경유의 바이오디젤 혼합의무 비율을 2030년까지 8%로 상향합니다.",
            "Raise the biodiesel blending mandate for diesel to 8% by 2030.",
        ),
        "requested_decision": "혼합의무 상향안 의결 (Adopt the higher mandate.)",
        "state": "accepted",
        "consultations": [
            {
                "agencies": ["MOEF", "ME"],
                "working_days": 10,
                "question": "물가 영향과 원료 수급에 대한 의견을 요청합니다.",
                "opinions": {
                    "MOEF": (
                        "object",
                        "연료 가격 상승 부담이 커 단계적 상향이 필요합니다. (Fuel prices would rise too fast.)",
                    ),
                    "ME": ("concur", ""),
                },
            },
        ],
        "days_ago": 65,
    },
    {
        "key": "marine-bank",
        "title": "해양바이오 소재 뱅크 확충 (Expanding the marine bio-materials bank)",
        "lead": "MOF",
        "area": "resources",
        "secondary_areas": ["environment"],
        "summary": (
            "해양생물 유래 소재 확보 규모를 5만 종으로 확대하고 산업계 분양을 늘립니다.",
            "Grow the marine bio-materials bank to 50,000 species and widen its distribution to industry.",
        ),
        "requested_decision": "소재 뱅크 확충 계획(안) 의결 (Adopt the expansion plan.)",
        "budget_krw": 21_000_000_000,
        "state": "accepted",
        "days_ago": 60,
    },
    # --- on the agenda of the 2nd plenary meeting ---
    {
        "key": "access-benefit-sharing",
        "title": "유전자원 접근·이익공유(ABS) 이행체계 개선 (Improving access and benefit-sharing under Nagoya)",
        "lead": "ME",
        "co_sponsors": ["MOF"],
        "area": "environment",
        "secondary_areas": ["resources"],
        "summary": (
            "나고야의정서 이행을 위한 해외 유전자원 이용 신고 절차를 간소화하고 기업 지원을 강화합니다.",
            "Simplify the notification of foreign genetic resources under the Nagoya Protocol and help companies "
            "comply.",
        ),
        "requested_decision": "ABS 이행체계 개선안 의결 (Adopt the ABS reform.)",
        "state": "accepted",
        "consultations": [
            {
                "agencies": ["MOF", "MAFRA"],
                "working_days": 10,
                "question": "소관 유전자원 목록을 확인해 주십시오.",
                "opinions": {"MOF": ("concur", ""), "MAFRA": ("concur", "")},
            },
        ],
        "days_ago": 25,
    },
    {
        "key": "cultured-food",
        "title": "세포배양식품 안전관리 기준 마련 (Safety standards for cell-cultured food)",
        "lead": "MFDS",
        "co_sponsors": ["MAFRA"],
        "area": "food",
        "summary": (
            "세포배양식품의 원료 인정, 제조 공정, 표시 기준을 마련합니다.",
            "Set the rules for approving, producing and labelling cell-cultured food.",
        ),
        "requested_decision": "안전관리 기준(안) 의결 (Adopt the safety standards.)",
        "state": "accepted",
        "days_ago": 18,
    },
]

# Plenary meetings, at 14:00 on the weekday nearest `days_from_today`. A meeting in the past is held: its
# agenda published, attendance taken (everyone present unless listed), decisions recorded with their
# follow-up actions. One ahead is planned. Agenda items are proposals (by key), reports or briefings.
# Follow-up actions: due `due_in_days` from today (negative: overdue), progress as (percent, text) weekly
# up to last week, `verify` when the secretariat has checked the reported work.
MEETINGS = [
    {
        "title": "제1차 국가바이오위원회 본회의 (1st plenary meeting)",
        "days_from_today": -35,
        "location": "정부서울청사 별관 2층 대회의실 (Government Complex Seoul, annex, 2F)",
        "attendance": {
            "member-5": ("represented", "산업통상자원부 제1차관 (First Vice Minister, MOTIE)"),
            "member-11": ("absent", ""),
        },
        "agenda": [
            {
                "proposal": "biofoundry",
                "outcome": "adopted",
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
                        "progress": [
                            (50, "수요 조사 완료 (Demand survey done)"),
                            (100, "계획 수립 완료 (Plan adopted)"),
                        ],
                        "verify": True,
                    },
                ],
            },
            {
                "proposal": "regulation",
                "outcome": "adopted_with_amendments",
                "resolution": "심사 기간 단축 목표를 420일에서 295일로 수정하여 의결한다. "
                "(Adopted with the review-time target amended from 420 to 295 days.)",
                "votes": (9, 1, 1),
                "actions": [
                    {
                        "agency": "MFDS",
                        "title": "바이오의약품 심사기간 단축 시행규칙 개정 "
                        "(Amend the rules to shorten biologics review)",
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
            {
                "proposal": "biofuel-mandate",
                "outcome": "rejected",
                "resolution": "원료 수급 대책 보완 후 재상정하기로 하고 원안은 부결한다. "
                "(Rejected; to return with a feedstock supply plan.)",
                "votes": (3, 7, 1),
            },
            {
                "proposal": "marine-bank",
                "outcome": "deferred",  # back to accepted, for a later meeting
                "resolution": "관계부처 협의를 거쳐 다음 회의에 재상정한다. (Deferred to the next meeting.)",
            },
            {"report": "국가바이오위원회 운영 현황 보고 (Report on the committee's operations)"},
        ],
    },
    {
        "title": "제2차 국가바이오위원회 본회의 (2nd plenary meeting)",
        "days_from_today": 21,
        "location": "정부세종청사 6동 대회의실 (Government Complex Sejong, building 6)",
        "online_link": "https://meet.bio-committee.example/nbc-2",
        "agenda": [
            {"proposal": "access-benefit-sharing"},
            {"proposal": "cultured-food"},
            {
                "briefing": "바이오 데이터·AI 작업반 활동 보고 (Briefing from the bio data and AI working group)",
                "presenter": "MSIT",
            },
        ],
    },
]
