"""Root URLs: the admin, the liaison portal, the REST API and its documentation."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("committee.directory.urls")),
    path("api/", include("policies.api.urls")),
    path("notifications/", include("committee.outbox.urls")),
    path("", include("policies.portal.urls")),
]
# MEDIA_ROOT is never served as such, not even with DEBUG on: attachments are reached only through
# views that check who may see the proposal (portal:attachment, the API's download).

# JSON under /api/, Django's HTML pages elsewhere (committee/errors.py).
handler400 = "committee.errors.bad_request"
handler403 = "committee.errors.permission_denied"
handler404 = "committee.errors.page_not_found"
handler500 = "committee.errors.server_error"
