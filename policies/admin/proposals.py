"""The proposal file for review: read-only text, timeline, opinions, and the secretariat's workflow buttons."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.directory.names import display_name
from committee.directory.scope import is_secretariat_staff
from policies import services
from policies.models import Consultation, Proposal, ProposalAttachment, ProposalEvent
from policies.permissions import allowed_actions, visible_attachments, visible_consultations, visible_proposals
from policies.queries.consultations import LATE, NO_LONGER_ASKED, SILENT, awaited_opinions, consolidated_position
from policies.search import PROPOSAL_FIELDS, search_proposals
from policies.workflow import CONSULTABLE_STATES, PROPOSALS, SETTLES_CONSULTATIONS, TRANSITIONS

from .base import ReadOnlyInline, ReferenceFilter, SecretariatAdmin, run_on_form, run_on_selected
from .dashboard import dashboard_context
from .display import overdue_marker, rendered_rich_text, won
from .exports import ExportsChangelist
from .forms import ConsultationRequestForm, SettleConsultationsForm
from .history import ShowsHistory
from .letters import file_links

# The workflow actions that belong to the secretariat's desk; liaisons submit and withdraw in the portal.
SECRETARIAT_ACTIONS = ("start_review", "return", "accept")


class ProposalEventInline(ReadOnlyInline):
    model = ProposalEvent
    verbose_name = _("timeline entry")
    verbose_name_plural = _("timeline")
    fields = ("created_at", "action", "from_state", "to_state", "actor_name", "words")  # action shows its label
    readonly_fields = fields
    ordering = ("created_at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("actor"))
    def actor_name(self, obj):
        return display_name(obj.actor)

    @admin.display(description=_("comment"))
    def words(self, obj):
        """What the system records, in the reader's language, then what the person wrote, as typed."""
        parts = ((part,) for part in (obj.summary(), obj.comment) if part)
        return format_html_join(mark_safe("<br>"), "{}", parts)  # nosec B308 B703: a constant tag; parts are escaped


class ConsultationInline(ReadOnlyInline):
    model = Consultation
    fields = (
        "agency",
        "deadline",
        "status",
        "position",
        "opinion",
        "files",
        "late",
        "answered_at",
        "revised_at",
        "overdue",
    )
    readonly_fields = fields
    show_change_link = True  # the consultation's page: extend the deadline, close, withdraw

    def get_queryset(self, request):
        consultations = visible_consultations(request.user, super().get_queryset(request))
        return consultations.select_related("agency").prefetch_related("attachments")

    @admin.display(description=_("files"))
    def files(self, obj):
        return file_links(obj.attachments.all(), "portal:opinion_attachment")

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        return overdue_marker(obj.is_overdue())


class AttachmentInline(ReadOnlyInline):
    model = ProposalAttachment
    fields = ("download", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return visible_attachments(request.user, super().get_queryset(request)).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, obj):
        # Through the portal's download view, which checks visibility; /media/ is never served directly.
        return format_html('<a href="{}">{}</a>', reverse("portal:attachment", args=[obj.pk]), obj.original_name)


class OpinionOverdueFilter(admin.SimpleListFilter):
    title = _("opinions")
    parameter_name = "opinion_overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("An opinion is past its deadline")),)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(has_overdue_opinion=True)
        return queryset


def _transition_selected(modeladmin, request, queryset, action, comment="", open_consultations=None):
    """Apply one workflow action to each selected proposal; report successes and refusals separately."""
    run_on_selected(
        modeladmin,
        request,
        queryset,
        lambda proposal: services.transition_proposal(
            proposal, action, by=request.user, comment=comment, open_consultations=open_consultations
        ),
        lambda done: gettext("%(action)s: %(proposals)s.") % {"action": TRANSITIONS[action].label, "proposals": done},
        name=lambda proposal: proposal.reference or str(proposal.pk),
    )


@admin.action(description=_("Start review of the selected proposals"))
def start_review_selected(modeladmin, request, queryset):
    _transition_selected(modeladmin, request, queryset, "start_review")


def _settle_selected(modeladmin, request, queryset, action, *, action_name, intro):
    """Accept or return the selected proposals, first asking what the changelist cannot guess: the comment a
    return needs and, when any of them still awaits opinions, whether to keep those consultations or close them
    (one answer for all, as on a proposal's own page). Nothing to ask: apply at once."""
    transition = TRANSITIONS[action]
    awaited = list(
        Consultation.objects.filter(proposal__in=queryset)
        .awaiting_opinion()
        .select_related("agency", "proposal")
        .order_by("proposal__reference", "agency__acronym")
    )
    if not (transition.comment_required or awaited):
        _transition_selected(modeladmin, request, queryset, action)
        return None
    form = SettleConsultationsForm(
        request.POST if "apply" in request.POST else None,
        comment_required=transition.comment_required,
        awaited=bool(awaited),
    )
    if "apply" in request.POST and form.is_valid():
        data = form.cleaned_data
        _transition_selected(
            modeladmin,
            request,
            queryset,
            action,
            comment=data.get("comment", ""),
            open_consultations=data.get("open_consultations"),
        )
        return None
    if awaited:
        asking = gettext("Opinions are still awaited from these agencies. Keep the consultations open, or close them.")
        intro = f"{intro} {asking}".strip()
    listed = [
        gettext("%(proposal)s: %(agency)s (%(name)s), due %(deadline)s")
        % {
            "proposal": c.proposal.reference or c.proposal.title,
            "agency": c.agency.acronym,
            "name": c.agency.name,
            "deadline": c.deadline.isoformat(),
        }
        for c in awaited
    ]
    return TemplateResponse(
        request,
        "admin/policies/service_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": transition.label,
            "intro": intro,
            "objects": listed or queryset,
            "form": form,
            "action_name": action_name,
            "selected": queryset.values_list("pk", flat=True),
            "submit_label": transition.label,
            "cancel_url": reverse("admin:policies_proposal_changelist"),
        },
    )


@admin.action(description=_("Accept the selected proposals for an agenda"))
def accept_selected(modeladmin, request, queryset):
    return _settle_selected(modeladmin, request, queryset, "accept", action_name="accept_selected", intro="")


@admin.action(description=_("Return the selected proposals for revision…"))
def return_selected(modeladmin, request, queryset):
    """A comment is required: show an intermediate form first, apply when it comes back filled in."""
    return _settle_selected(
        modeladmin,
        request,
        queryset,
        "return",
        action_name="return_selected",
        intro=gettext("Say what the lead agencies should revise. Each proposal gets this comment."),
    )


@admin.register(Proposal)
class ProposalAdmin(ExportsChangelist, ShowsHistory, SecretariatAdmin):
    visible = staticmethod(visible_proposals)
    committee_path = "committee"
    list_display = (
        "reference",
        "title",
        "lead_agency_acronym",
        "committee_code",
        "state",
        "policy_area",
        "submitted_at",
        "budget",
        "opinion_overdue",
    )
    list_display_links = ("reference", "title")
    list_filter = (
        "state",
        OpinionOverdueFilter,
        ("policy_area", ReferenceFilter),
        ("lead_agency", ReferenceFilter),
        ("committee", ReferenceFilter),
        "submitted_at",
        "updated_at",
    )
    search_fields = PROPOSAL_FIELDS  # shows the box; get_search_results asks policies/search.py
    list_select_related = ("committee", "lead_agency", "policy_area")
    actions = (start_review_selected, return_selected, accept_selected)
    inlines = (ConsultationInline, AttachmentInline, ProposalEventInline)
    fieldsets = (
        (None, {"fields": ("reference", "state", "committee", "lead_agency", "co_sponsors")}),
        (
            _("Proposal"),
            {"fields": ("title", "summary", "body_rendered", "requested_decision", "budget")},
        ),
        (_("Policy areas"), {"fields": ("policy_area", "secondary_areas")}),
        (_("Opinions"), {"fields": ("consolidated_position",)}),
        (_("Record"), {"fields": ("created_by", "created_at", "submitted_by", "submitted_at", "updated_at")}),
    )
    # The secretariat reviews; only the lead agency writes the text, and state moves only through the buttons.
    # The version counter (the API's lost-update guard) is bookkeeping, not something a reader needs.
    readonly_fields = (
        "reference",
        "state",
        "committee",
        "lead_agency",
        "co_sponsors",
        "title",
        "summary",
        "body_rendered",
        "requested_decision",
        "budget",
        "policy_area",
        "secondary_areas",
        "consolidated_position",
        "created_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "updated_at",
    )

    def get_queryset(self, request):
        overdue = Consultation.objects.past_deadline().filter(proposal=OuterRef("pk"))
        return super().get_queryset(request).annotate(has_overdue_opinion=Exists(overdue))

    def get_search_results(self, request, queryset, search_term):
        return search_proposals(queryset, search_term), False  # False: the search adds no duplicate rows

    # Proposals are drafted by liaisons in the portal and never edited or deleted in the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("lead agency"), ordering="lead_agency__acronym")
    def lead_agency_acronym(self, obj):
        return obj.lead_agency.acronym

    @admin.display(description=_("committee"), ordering="committee__code")
    def committee_code(self, obj):
        return obj.committee.code

    @admin.display(description=_("opinion overdue"), ordering="has_overdue_opinion")
    def opinion_overdue(self, obj):
        return overdue_marker(obj.has_overdue_opinion)

    @admin.display(description=_("body"))
    def body_rendered(self, obj):
        return rendered_rich_text(obj.body)

    @admin.display(description=_("estimated budget"), ordering="estimated_budget_krw")
    def budget(self, obj):
        return won(obj.estimated_budget_krw)

    @admin.display(description=_("consolidated position"))
    def consolidated_position(self, obj):
        prefetch_related_objects([obj], "consultations__agency")
        position = consolidated_position(obj)
        if not any(position.values()):
            return gettext("No opinions requested yet.")
        labels = dict(
            Consultation.Position.choices,
            **{SILENT: gettext("No answer yet"), NO_LONGER_ASKED: gettext("No longer asked (closed or withdrawn)")},
        )
        late = {c.pk for c in position[LATE]}

        def name(consultation):
            return (
                gettext("%(agency)s (late)") % {"agency": consultation.agency.acronym}
                if consultation.pk in late
                else consultation.agency.acronym
            )

        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                (
                    (labels[key], ", ".join(name(c) for c in consultations))
                    for key, consultations in position.items()
                    if consultations and key != LATE
                ),
            ),
        )

    # --- the workflow buttons and forms -----------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="policies_dashboard"),
            path(
                "<path:object_id>/workflow/<str:action>/",
                wrap(self.transition_view),
                name="policies_proposal_transition",
            ),
            path("<path:object_id>/consult/", wrap(self.consult_view), name="policies_proposal_consult"),
            *super().get_urls(),
        ]

    def workflow_buttons(self, request, obj):
        buttons = []
        for action in allowed_actions(request.user, obj):
            if action in SECRETARIAT_ACTIONS:
                buttons.append(
                    {
                        "label": TRANSITIONS[action].label,
                        "url": reverse("admin:policies_proposal_transition", args=[obj.pk, action]),
                        # Returning needs a comment, so it opens a form; the others act at once.
                        "method": "get" if TRANSITIONS[action].comment_required else "post",
                    }
                )
        if obj.state in CONSULTABLE_STATES and self.manages(request, obj):
            buttons.append(
                {
                    "label": gettext("Request opinions"),
                    "url": reverse("admin:policies_proposal_consult", args=[obj.pk]),
                    "method": "get",
                }
            )
        if PROPOSALS.allows(obj.state, "schedule") and self.manages(request, obj):
            # Choose among the committee's planned and published meetings (the meeting desk's view).
            url = reverse("admin:policies_meeting_place", args=[obj.pk])
            buttons.append({"label": gettext("Place on agenda"), "url": url, "method": "get"})
        return buttons

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, action):
        proposal = self.get_managed_object(request, object_id)
        if action not in SECRETARIAT_ACTIONS:
            self.message_user(request, gettext("This action is not taken in the admin."), messages.ERROR)
            return self.back_to(proposal)
        transition = TRANSITIONS[action]
        awaited = awaited_opinions(proposal) if action in SETTLES_CONSULTATIONS else []
        if transition.comment_required or awaited:
            return self.transition_form_view(request, proposal, action, awaited)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.run_service(
            request,
            lambda: services.transition_proposal(proposal, action, by=request.user),
            gettext("%(action)s: done.") % {"action": transition.label},
        )
        return self.back_to(proposal)

    def transition_form_view(self, request, proposal, action, awaited):
        """Ask for the comment and, while opinions are awaited, whether to keep those consultations or close them.

        The button's own POST (no answer yet) shows the form; a refusal keeps what was typed on it.
        """
        transition = TRANSITIONS[action]
        answered = request.method == "POST" and ("open_consultations" in request.POST or transition.comment_required)
        form = SettleConsultationsForm(
            request.POST if answered else None, comment_required=transition.comment_required, awaited=bool(awaited)
        )
        if answered and form.is_valid():
            data = form.cleaned_data
            moved = run_on_form(
                form,
                lambda: services.transition_proposal(
                    proposal,
                    action,
                    by=request.user,
                    comment=data.get("comment", ""),
                    open_consultations=data.get("open_consultations"),
                ),
            )
            if moved is not None:
                self.message_user(
                    request, gettext("%(action)s: done.") % {"action": transition.label}, messages.SUCCESS
                )
                return self.back_to(proposal)
        intro = ""
        if awaited:
            intro = gettext(
                "Opinions are still awaited from these agencies. Keep the consultations open, or close them."
            )
        listed = [
            gettext("%(agency)s (%(name)s), due %(deadline)s")
            % {"agency": c.agency.acronym, "name": c.agency.name, "deadline": c.deadline.isoformat()}
            for c in awaited
        ]
        return self.render_service_form(
            request, proposal, form, title=transition.label, intro=intro, extra={"objects": listed}
        )

    def consult_view(self, request, object_id):
        proposal = self.get_managed_object(request, object_id)
        form = ConsultationRequestForm(request.POST if request.method == "POST" else None, proposal=proposal)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            consultations = run_on_form(
                form,
                lambda: services.request_consultations(
                    proposal,
                    by=request.user,
                    agencies=list(data["agencies"]),
                    deadline=data["deadline"],
                    working_days=data["working_days"],
                    question=data["question"],
                ),
            )
            if consultations is not None:
                self.message_user(
                    request,
                    gettext("Opinions requested from %(agencies)s by %(deadline)s.")
                    % {
                        "agencies": ", ".join(c.agency.acronym for c in consultations),
                        "deadline": consultations[0].deadline.isoformat(),
                    },
                    messages.SUCCESS,
                )
                return self.back_to(proposal)
        return self.render_service_form(request, proposal, form, title=gettext("Request opinions"))

    def dashboard_view(self, request):
        if not is_secretariat_staff(request.user):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/policies/dashboard.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Committee dashboard"),
                **dashboard_context(request.user),
            },
        )
