"""Root URLs: the admin, the liaison portal, the REST API and its documentation, and the public decision register."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from policies.portal.language import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("committee.directory.urls")),
    path("api/", include("policies.api.urls")),
    path("notifications/", include("committee.outbox.urls")),
    # The one part of the site open without signing in (tests/security/test_anonymous_visitors.py proves it).
    path("register/", include("policies.register.urls")),
    path("", include("policies.portal.urls")),
]
# MEDIA_ROOT is never served as such, not even with DEBUG on: attachments are reached only through
# views that check who may see the proposal (portal:attachment, the API's download).

# JSON under /api/, Django's HTML pages elsewhere (committee/errors.py).
handler400 = "committee.errors.bad_request"
handler403 = "committee.errors.permission_denied"
handler404 = "committee.errors.page_not_found"
handler500 = "committee.errors.server_error"
