"""REST API URLs, versioned in the path (/api/v1/...), plus the OpenAPI schema and its Swagger UI (signed-in only)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from committee.outbox.api import NotificationViewSet

from . import consultations, letters, meetings, minutes, papers, tokens, views
from .base import JSONErrorsMixin

app_name = "api"


# The schema and docs need a signed-in user (session or token) like the rest of the API: this is an
# internal government system, and the Swagger UI in a browser uses the portal's session.
class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    permission_classes = [IsAuthenticated]


# The split view serves Swagger UI's start-up script as a file: no inline script under the CSP.
class DocsView(JSONErrorsMixin, SpectacularSwaggerSplitView):
    permission_classes = [IsAuthenticated]


# No root view and no format suffixes (`/proposals.json`): the API answers JSON only, at the documented paths.
router = DefaultRouter()
router.include_root_view = False
router.include_format_suffixes = False
router.register("committees", views.CommitteeViewSet, basename="committee")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("policy-areas", views.PolicyAreaViewSet, basename="policy-area")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("consultations", consultations.ConsultationViewSet, basename="consultation")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("minutes", minutes.MinutesViewSet, basename="minutes")
router.register("decisions", meetings.DecisionViewSet, basename="decision")
router.register("actions", meetings.FollowUpActionViewSet, basename="action")
router.register("opinion-attachments", letters.OpinionAttachmentViewSet, basename="opinion-attachment")
router.register("progress-attachments", letters.ProgressReportAttachmentViewSet, basename="progress-attachment")
# --- notifications: registered here by the notifications engineer (viewset in committee/outbox/api.py), e.g.
router.register("notifications", NotificationViewSet, basename="notification")
# --- end of notifications

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path(
        "v1/meetings/<int:meeting_pk>/documents/<int:pk>/",
        papers.MeetingDocumentFileView.as_view(),
        name="meeting-document-file",
    ),
    path("v1/auth/token/", tokens.TokenView.as_view(), name="token"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
