from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

# Placeholder views until the account screens land; the names are the contract base.html relies on.
_todo = TemplateView.as_view(template_name="base.html")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", _todo, name="signup"),
    path("settings/", _todo, name="settings"),
    path("settings/reliefs/", _todo, name="reliefs"),
]
