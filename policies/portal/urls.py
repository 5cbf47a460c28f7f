"""Liaison portal URLs, mounted at the site root."""

from django.urls import path

from . import api_tokens, feeds, landing, letters, members, papers, proposal_forms, views, work

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", landing.start, name="start"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", proposal_forms.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", proposal_forms.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/transition/", views.proposal_transition, name="proposal_transition"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("consultations/<int:pk>/opinion/", views.consultation_opinion, name="opinion"),
    path("consultations/<int:pk>/opinion/files/", letters.opinion_attachment_add, name="opinion_attachment_add"),
    path("opinion-files/<int:pk>/", letters.opinion_attachment_download, name="opinion_attachment"),
    path("opinion-files/<int:pk>/remove/", letters.opinion_attachment_remove, name="opinion_attachment_remove"),
    path("actions/", work.action_list, name="action_list"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("consultations/", work.consultation_list, name="consultation_list"),
    path("progress-files/<int:pk>/", letters.progress_attachment_download, name="progress_attachment"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    # --- a meeting's papers (agenda book, decision record): policies/portal/papers.py
    path("meetings/<int:pk>/papers/<slug:kind>-v<int:version>.pdf", papers.meeting_paper, name="meeting_paper_version"),
    path("meetings/<int:pk>/papers/<slug:kind>.pdf", papers.meeting_paper, name="meeting_paper"),
    path("meetings/<int:pk>/reply/", members.meeting_reply, name="meeting_reply"),
    path("meetings/<int:pk>/minutes/", members.meeting_minutes, name="meeting_minutes"),
    path("meetings/reply/", members.reply_link, name="reply_link"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/api-tokens/revoke/", api_tokens.api_token_revoke, name="api_token_revoke"),
    path("settings/api-tokens/revoke-all/", api_tokens.api_tokens_revoke_all, name="api_tokens_revoke_all"),
    path("settings/calendar/renew/", feeds.renew_my_calendar, name="renew_my_calendar"),
    path("committees/<int:pk>/calendar/renew/", feeds.renew_committee_calendar, name="renew_committee_calendar"),
    # Private feeds: the signed key in the link is the credential (calendar clients cannot sign in).
    path("calendar/<str:token>/feed.ics", feeds.person_calendar, name="person_calendar"),
    path("calendar/committees/<str:token>/feed.ics", feeds.committee_calendar, name="committee_calendar"),
]
