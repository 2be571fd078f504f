"""Admin for API tokens and signed-in sessions (imported by accounts.admin)."""

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm

from aldea.accounts.credentials import ApiToken, SignedInSession
from aldea.accounts.tokens import issue_token
from aldea.accounts.two_factor import SecondFactorMixin


class AdminLoginForm(SecondFactorMixin, AdminAuthenticationForm):
    """The admin's login asks for the second factor too: it is a login door like the others."""


admin.site.login_form = AdminLoginForm
admin.site.login_template = "registration/login.html"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see and revoke (delete) tokens; adding one issues it and shows its key once."""

    list_display = ["key_prefix", "user", "name", "created_at", "expires_at", "last_used_at"]
    search_fields = ["user__username", "name", "key_prefix"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else ["user", "name", "key_prefix", "created_at", "expires_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", "key_prefix", "created_at", "expires_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, key = issue_token(user=obj.user, name=obj.name)
        obj.pk = token.pk
        messages.warning(request, f"The new token's key (copy it now, it is not shown again): {key}")
        return None


@admin.register(SignedInSession)
class SignedInSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "ip_address", "user_agent"]
    search_fields = ["user__username", "ip_address"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
