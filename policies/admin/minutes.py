"""The minutes desk: one page per held meeting, reached from its meeting desk, where the secretariat writes the
discussion summary of each agenda item with the members' comments beside it, sends the draft for review,
finalises, corrects final minutes with a reason, and makes the meeting's decisions public once final.

Every button is a plain POST form calling one service verb; a refused form comes back filled in with the reason.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from policies import services
from policies.models import Decision, Minutes
from policies.queries.minutes import comments_by_item, current_content, minutes_of, readable, summaries_of
from policies.services.minutes import MAX_SUMMARY, REVIEW_DAYS
from policies.workflow import MINUTES

from .base import run_on_form


class SummariesForm(forms.Form):
    """One text box per agenda item, named `item-<id>`."""

    def __init__(self, *args, items=(), summaries=None, **kwargs):
        super().__init__(*args, **kwargs)
        summaries = summaries or {}
        for item in items:
            self.fields[f"item-{item['agenda_item_id']}"] = forms.CharField(
                label=f"{item['position']}. {item['title']}",
                required=False,
                max_length=MAX_SUMMARY,
                initial=summaries.get(item["agenda_item_id"], ""),
                widget=forms.Textarea(attrs={"rows": 5, "class": "vLargeTextField"}),
            )

    def summaries(self) -> dict[int, str]:
        return {int(name.split("-", 1)[1]): value for name, value in self.cleaned_data.items()}


class ReviewForm(forms.Form):
    working_days = forms.IntegerField(
        label=_("Comments due in (working days)"), min_value=REVIEW_DAYS[0], max_value=REVIEW_DAYS[1], initial=5
    )


class CorrectionForm(SummariesForm):
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class PublicForm(forms.Form):
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the public register shows; it may differ from the resolution."),
    )


def minutes_url(meeting) -> str:
    return reverse("admin:policies_meeting_minutes", args=[meeting.pk])


class MinutesDesk:
    """Mixed into the meeting admin beside the meeting desk: the minutes page and the verbs behind its forms."""

    def minutes_urls(self) -> list:
        wrap = self.admin_site.admin_view
        base = "<int:object_id>/desk/minutes/"
        return [
            path(base, wrap(self.minutes_view), name="policies_meeting_minutes"),
            path(f"{base}start/", wrap(self.minutes_start_view), name="policies_meeting_minutes_start"),
            path(f"{base}summaries/", wrap(self.minutes_summaries_view), name="policies_meeting_minutes_summaries"),
            path(f"{base}review/", wrap(self.minutes_review_view), name="policies_meeting_minutes_review"),
            path(f"{base}finalise/", wrap(self.minutes_finalise_view), name="policies_meeting_minutes_finalise"),
            path(f"{base}correct/", wrap(self.minutes_correct_view), name="policies_meeting_minutes_correct"),
            path(
                f"{base}decisions/<int:decision_id>/public/",
                wrap(self.minutes_public_view),
                name="policies_meeting_minutes_public",
            ),
        ]

    def minutes_view(self, request, object_id, bound=None):
        meeting = self.desk_meeting(request, object_id)
        return self.render_minutes(request, meeting, bound or {})

    def render_minutes(self, request, meeting, bound: dict):
        minutes = minutes_of(meeting)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "meeting": meeting,
            "minutes": minutes,
            "title": gettext("Minutes: %(meeting)s") % {"meeting": meeting.title},
            "desk_url": reverse("admin:policies_meeting_desk", args=[meeting.pk]),
            "can_start": minutes is None and meeting.status == meeting.Status.HELD,
        }
        if minutes is not None:
            content = readable(current_content(minutes), translation.get_language() or "ko")
            comments = comments_by_item(minutes)
            editable = MINUTES.allows(minutes.status, "edit")
            summaries = summaries_of(minutes)
            form = bound.get("summaries") or SummariesForm(items=content["items"], summaries=summaries)
            correction = bound.get("correct") or CorrectionForm(items=content["items"], summaries=summaries)
            context.update(
                {
                    "content": content,
                    "rows": [
                        {
                            "item": item,
                            "field": (form if editable else correction)[f"item-{item['agenda_item_id']}"],
                            "comments": comments.get(item["agenda_item_id"], []),
                        }
                        for item in content["items"]
                    ],
                    "general_comments": comments.get(None, []),
                    "editable": editable,
                    "summaries_form": form,
                    "review_form": bound.get("review") or ReviewForm(),
                    "correction_form": correction,
                    "can_review": MINUTES.allows(minutes.status, "send_for_review"),
                    "can_finalise": MINUTES.allows(minutes.status, "finalise"),
                    "can_correct": MINUTES.allows(minutes.status, "correct"),
                    "versions": list(minutes.versions.all()),
                    "public_rows": self.public_rows(meeting, minutes, bound) if minutes.is_final else [],
                }
            )
        return TemplateResponse(request, "admin/policies/meeting_minutes.html", context)

    def public_rows(self, meeting, minutes, bound) -> list[dict]:
        decisions = Decision.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item")
        return [
            {
                "decision": decision,
                "form": bound.get(f"public-{decision.pk}")
                or PublicForm(prefix=f"public-{decision.pk}", initial={"summary": decision.public_summary}),
                "url": reverse("admin:policies_meeting_minutes_public", args=[meeting.pk, decision.pk]),
            }
            for decision in decisions.order_by("agenda_item__position")
        ]

    def _minutes_or_404(self, meeting):
        return get_object_or_404(Minutes, meeting=meeting)

    def _back(self, meeting, anchor=""):
        return HttpResponseRedirect(minutes_url(meeting) + (f"#{anchor}" if anchor else ""))

    def minutes_start_view(self, request, object_id):
        meeting = self.desk_meeting(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.run_service(
            request, lambda: services.start_minutes(meeting, by=request.user), gettext("The minutes are started.")
        )
        return self._back(meeting)

    def _minutes_form(self, request, object_id, form_class, key, verb, success, **form_kwargs):
        """Validate a form of the minutes page and call its verb; refused, the page again with the form filled in."""
        meeting = self.desk_meeting(request, object_id)
        minutes = self._minutes_or_404(meeting)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        items = readable(current_content(minutes), "en")["items"] if form_kwargs.pop("with_items", False) else None
        form = form_class(request.POST, **({"items": items} if items is not None else {}), **form_kwargs)
        if form.is_valid() and run_on_form(form, lambda: verb(minutes, form)) is not None:
            self.message_user(request, success, messages.SUCCESS)
            return self._back(meeting, key)
        return self.render_minutes(request, meeting, {key: form})

    def minutes_summaries_view(self, request, object_id):
        return self._minutes_form(
            request,
            object_id,
            SummariesForm,
            "summaries",
            lambda minutes, form: services.save_summaries(minutes, by=request.user, summaries=form.summaries()),
            gettext("The discussion summaries are saved."),
            with_items=True,
        )

    def minutes_review_view(self, request, object_id):
        return self._minutes_form(
            request,
            object_id,
            ReviewForm,
            "review",
            lambda minutes, form: services.send_minutes_for_review(
                minutes, by=request.user, working_days=form.cleaned_data["working_days"]
            ),
            gettext("The minutes are sent to the members for review."),
        )

    def minutes_finalise_view(self, request, object_id):
        meeting = self.desk_meeting(request, object_id)
        minutes = self._minutes_or_404(meeting)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.run_service(
            request,
            lambda: services.finalise_minutes(minutes, by=request.user),
            gettext("The minutes are final; the members are told and the PDF is being built."),
        )
        return self._back(meeting)

    def minutes_correct_view(self, request, object_id):
        return self._minutes_form(
            request,
            object_id,
            CorrectionForm,
            "correct",
            lambda minutes, form: services.correct_minutes(
                minutes,
                by=request.user,
                reason=form.cleaned_data["reason"],
                summaries=form.summaries(),
            ),
            gettext("The minutes are corrected: a new version supersedes the previous one."),
            with_items=True,
        )

    def minutes_public_view(self, request, object_id, decision_id):
        meeting = self.desk_meeting(request, object_id)
        decision = get_object_or_404(Decision, pk=decision_id, agenda_item__meeting=meeting)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = PublicForm(request.POST, prefix=f"public-{decision.pk}")
        if form.is_valid():
            summary = form.cleaned_data["summary"]
            done = run_on_form(form, lambda: services.make_decision_public(decision, summary=summary, by=request.user))
            if done is not None:
                message = gettext("Decision %(number)s is public.") % {"number": decision.number}
                self.message_user(request, message, messages.SUCCESS)
                return self._back(meeting, "public")
        return self.render_minutes(request, meeting, {f"public-{decision.pk}": form})
