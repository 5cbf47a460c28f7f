"""Liaison portal URLs."""

app_name = "portal"
urlpatterns = []
