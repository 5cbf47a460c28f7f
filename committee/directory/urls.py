"""Account URLs around sign-in, mounted at /account/."""

from django.urls import path

from . import views

app_name = "account"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.enrol, name="enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/disable/", views.disable, name="disable"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
