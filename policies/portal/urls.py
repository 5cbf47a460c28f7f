"""Liaison portal URLs, mounted at the site root."""

from django.urls import path

from . import api_tokens, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/transition/", views.proposal_transition, name="proposal_transition"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("consultations/<int:pk>/opinion/", views.consultation_opinion, name="opinion"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/api-tokens/revoke/", api_tokens.api_token_revoke, name="api_token_revoke"),
    path("settings/api-tokens/revoke-all/", api_tokens.api_tokens_revoke_all, name="api_tokens_revoke_all"),
]
