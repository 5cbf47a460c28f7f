"""REST API URLs (versioned in the path)."""

app_name = "api"
urlpatterns = []
