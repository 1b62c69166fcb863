from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view),
    path("whoami/", views.whoami),
    path("password/", views.change_password),
    path("logout/", views.logout_view),
]
