"""The member's part of the portal: the next meeting on the home page, replying to its invitation, and reading
and commenting on minutes in review.

A member replies from the portal (home or meeting page) or from the signed links of the invitation email
(`policies.reply_links`). Opening such a link only shows what will be recorded; the member's button press
(a POST) records it, so a mail scanner following links answers for nobody.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee.directory.scope import scope_of
from policies import reply_links, services
from policies.models import AttendanceReply, Consultation, Meeting, Minutes
from policies.permissions import actors_for, visible_meetings, visible_minutes, visible_proposals
from policies.queries.consultations import consolidated_position
from policies.queries.minutes import current_content, readable
from policies.services.minutes import MAX_COMMENT, record_minutes_opened
from policies.services.replies import why_no_reply
from policies.workflow import MEETINGS, MINUTES, Actor, WorkflowError

from .refusals import attempt, refuse


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Your reply"), choices=AttendanceReply.Answer.choices, widget=forms.RadioSelect
    )
    delegate_name = forms.CharField(
        label=gettext_lazy("Delegate's name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Only when sending a delegate."),
    )


class LinkReplyForm(forms.Form):
    """The confirmation page of an email link: the answer is the link's; a delegate's name is asked here."""

    token = forms.CharField(widget=forms.HiddenInput)
    delegate_name = forms.CharField(label=gettext_lazy("Delegate's name"), max_length=200, required=False)


# --- the home page's first card -------------------------------------------------------------------


def next_meeting(user) -> dict:
    """The soonest meeting still to come of the user's committees, its published agenda, and the user's reply."""
    scope = scope_of(user)
    meeting = (
        visible_meetings(user)
        .filter(committee_id__in=scope.member_of, starts_at__gt=timezone.now(), status__in=MEETINGS.open_states)
        .select_related("committee")
        .order_by("starts_at", "pk")
        .first()
    )
    if meeting is None:
        return {"member_home": True, "next_meeting": None, "minutes_in_review": minutes_in_review(user)}
    return {
        "member_home": True,
        "minutes_in_review": minutes_in_review(user),
        "next_meeting": meeting,
        "next_agenda": agenda_of(user, meeting),
        **reply_context(user, meeting),
    }


def agenda_of(user, meeting: Meeting) -> list[dict] | None:
    """The published agenda, each proposal with its summary and where the consulted agencies stand.

    None while the agenda is not published: a planned agenda is the secretariat's working draft.
    """
    if meeting.status != Meeting.Status.AGENDA_PUBLISHED:
        return None
    proposals = visible_proposals(user).prefetch_related(
        Prefetch("consultations", queryset=Consultation.objects.select_related("agency").order_by("agency__acronym"))
    )
    items = meeting.items.select_related("presenter").prefetch_related(Prefetch("proposal", queryset=proposals))
    agenda = []
    for item in items:
        proposal = item.proposal if item.proposal_id else None
        position = consolidated_position(proposal) if proposal is not None else None
        agenda.append({"item": item, "proposal": proposal, "position": _position_rows(position)})
    return agenda


def _position_rows(position: dict | None) -> list[tuple[str, list]]:
    """(label, agencies) for each position that some agency holds, in the order of the choices."""
    if position is None:
        return []
    labels = [*Consultation.Position.choices, ("silent", _("No opinion yet"))]
    return [(label, [c.agency for c in position[value]]) for value, label in labels if position[value]]


def reply_context(user, meeting: Meeting) -> dict:
    """The user's reply and the form to give or change it, when the user may reply to this meeting."""
    may_reply = _reply_refusal(user, meeting) is None
    reply = AttendanceReply.objects.filter(meeting=meeting, member_id=user.pk).first() if may_reply else None
    initial = {"answer": reply.answer, "delegate_name": reply.delegate_name} if reply else {}
    return {
        "may_reply": may_reply,
        "my_reply": reply,
        "reply_form": ReplyForm(initial=initial, auto_id=f"id_reply_{meeting.pk}_%s") if may_reply else None,
    }


def _reply_refusal(user, meeting: Meeting) -> WorkflowError | None:
    return why_no_reply(meeting, user)


# --- replying from the portal ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reply(request, pk):
    """The reply form of one meeting; the home and meeting pages post here, and a refusal is shown here."""
    meeting = get_object_or_404(visible_meetings(request.user).select_related("committee"), pk=pk)
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if not form.is_valid():
            status = 400
        else:
            reply, status = attempt(
                form, lambda: services.reply_to_invitation(meeting, by=request.user, **form.cleaned_data)
            )
            if status == 200:
                messages.success(request, _("Your reply is recorded: %(answer)s.") % {"answer": _answer_text(reply)})
                return redirect(_next_page(request, meeting))
    else:
        refusal = _reply_refusal(request.user, meeting)
        if refusal is not None:
            return refuse(request, refusal.message, refusal.status)
        form = reply_context(request.user, meeting)["reply_form"]
    context = {"meeting": meeting, "form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "portal/meeting_reply.html", context, status=status)


def _next_page(request, meeting: Meeting) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return meeting_url(meeting)


def meeting_url(meeting: Meeting) -> str:
    return reverse("portal:meeting", args=[meeting.pk])


def _answer_text(reply: AttendanceReply) -> str:
    if reply.answer == AttendanceReply.Answer.DELEGATE:
        return _("sending a delegate (%(name)s)") % {"name": reply.delegate_name}
    return str(reply.get_answer_display())


# --- replying from the invitation email -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reply_link(request):
    """An invitation email's link: GET shows what will be recorded; the page's button (POST) records it."""
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    link, refusal = _read_link(request, token or "")
    if refusal is not None:
        return refusal
    meeting = Meeting.objects.select_related("committee").filter(pk=link.meeting_id).first()
    member = get_user_model().objects.filter(pk=link.user_id, is_active=True).first()
    if meeting is None or member is None:
        return refuse(request, _("This meeting or account no longer exists."), 404)
    form = LinkReplyForm(request.POST if request.method == "POST" else None, initial={"token": token})
    status = 200
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["delegate_name"]
        verb = lambda: services.reply_to_invitation(meeting, by=member, answer=link.answer, delegate_name=name)  # noqa: E731
        reply, status = attempt(form, verb)
        if status == 200:
            return render(request, "portal/reply_recorded.html", {"meeting": meeting, "reply": reply})
    elif request.method == "POST":
        status = 400
    context = {"meeting": meeting, "form": form, "answer": link.answer, "answer_label": _label(link.answer)}
    return render(request, "portal/reply_link.html", context, status=status)


def _read_link(request, token: str):
    """(the link, None), or (None, the page saying why it cannot be used)."""
    try:
        link = reply_links.read_token(token)
    except signing.SignatureExpired:
        return None, refuse(
            request, _("This reply link has expired. Reply from the meeting's page in the portal."), 400
        )
    except signing.BadSignature:
        return None, refuse(
            request, _("This reply link is not valid. Reply from the meeting's page in the portal."), 400
        )
    if request.user.is_authenticated and request.user.pk != link.user_id:
        return None, refuse(
            request, _("This reply link was sent to another member. Reply from your own home page instead."), 403
        )
    return link, None


def _label(answer: str) -> str:
    return str(AttendanceReply.Answer(answer).label)


# --- minutes: reading them, and commenting while they are in review -------------------------------


class MinutesCommentForm(forms.Form):
    agenda_item = forms.TypedChoiceField(
        label=gettext_lazy("About"), coerce=int, empty_value=None, required=False, choices=()
    )
    text = forms.CharField(
        label=gettext_lazy("Your comment"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", _("The minutes as a whole"))] + [
            (item["agenda_item_id"], f"{item['position']}. {item['title']}") for item in items
        ]


def minutes_in_review(user) -> list[Minutes]:
    """Minutes of the member's committees that wait for their comments, soonest deadline first."""
    scope = scope_of(user)
    return list(
        visible_minutes(user)
        .filter(meeting__committee_id__in=scope.member_of, status=Minutes.Status.IN_REVIEW)
        .select_related("meeting")
        .order_by("review_deadline", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request, pk):
    """A meeting's minutes as they stand, with a member's comment form while they are in review.

    Opening the page as a member records that they looked at the minutes: reminders stop for them.
    """
    minutes = get_object_or_404(visible_minutes(request.user).select_related("meeting__committee"), meeting_id=pk)
    meeting = minutes.meeting
    actors = actors_for(request.user, minutes)
    content = readable(current_content(minutes), get_language() or "ko")
    may_comment = MINUTES.allows(minutes.status, "comment") and Actor.MEMBER in actors
    status = 200
    form = MinutesCommentForm(items=content["items"]) if may_comment else None
    if request.method == "POST":
        form = MinutesCommentForm(request.POST, items=content["items"])
        if not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            item = meeting.items.filter(pk=data["agenda_item"]).first() if data["agenda_item"] else None
            _comment, status = attempt(
                form, lambda: services.comment_on_minutes(minutes, by=request.user, text=data["text"], agenda_item=item)
            )
            if status == 200:
                messages.success(request, _("Your comment is sent to the secretariat."))
                return redirect("portal:meeting_minutes", pk=meeting.pk)
    elif Actor.MEMBER in actors:
        record_minutes_opened(minutes, by=request.user)
    comments = minutes.comments.select_related("author", "agenda_item").order_by("created_at", "pk")
    if Actor.SECRETARIAT not in actors:
        comments = comments.filter(author_id=request.user.pk)
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "content": content,
        "form": form,
        "comments": comments,
        "versions": minutes.versions.all(),
    }
    return render(request, "portal/meeting_minutes.html", context, status=status)
