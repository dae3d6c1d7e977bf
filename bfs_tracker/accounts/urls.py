from django.contrib.auth import views as auth_views
from django.urls import path

from bfs_tracker.accounts import views
from bfs_tracker.accounts.forms import ResetForm

# base.html relies on login, logout, signup and settings; the password names are Django's own.
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/sent/", views.signup_sent, name="signup_sent"),
    path("accounts/confirm/<str:token>/", views.signup_confirm_view, name="signup_confirm"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(form_class=ResetForm),
        name="password_reset",
    ),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("settings/", views.settings, name="settings"),
    path("settings/email/", views.email_change, name="email_change"),
    path("settings/email/confirm/<str:token>/", views.email_change_confirm_view, name="email_change_confirm"),
    path("settings/delete-account/", views.account_delete, name="account_delete"),
]
