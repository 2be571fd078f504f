"""Account pages: log-in, password change and reset, sessions and tokens, password links.

Django's password views keep their own URL names (``password_reset_confirm``, ...), which its
templates and the admin reverse without a namespace; Aldea's own pages are ``accounts:``.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from aldea.accounts import join_views, security_views
from aldea.accounts.two_factor import LoginForm

app_patterns = [
    path("security/", security_views.security, name="security"),
    path("security/sessions/<int:pk>/end/", security_views.end_session, name="end-session"),
    path("security/tokens/<int:pk>/revoke/", security_views.revoke_token, name="revoke-token"),
    path("password-link/", security_views.password_link, name="password-link"),
    path("two-factor/", security_views.two_factor_page, name="two-factor"),
    path("join/", join_views.join, name="join"),
    path("join/<slug:code>/", join_views.join_code, name="join-code"),
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include((app_patterns, "accounts"))),
]
