"""Public decision register URLs, mounted at /register/: the only pages served without signing in."""

from django.urls import path

from . import feeds, views

app_name = "register"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("feed.atom", feeds.register_feed, name="feed"),
    # The decision's number (NBC-2026-D-001) is given once and never changes: a stable public address.
    path("<slug:number>/", views.decision_detail, name="decision"),
]
