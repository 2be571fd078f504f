from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from aldea.accounts.models import Invitation, Membership, Person, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    pass


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["village", "organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sex", "birth_year", "speaks_indigenous_language", "has_contact_consent", "user"]
    list_filter = ["sex", "speaks_indigenous_language", "has_contact_consent"]
    search_fields = ["given_name", "family_name", "email", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "locality"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "programme", "village", "organisation", "is_active"]
    list_filter = ["role", "is_active", "programme"]
    search_fields = ["person__given_name", "person__family_name", "village__name", "organisation__name"]
    list_select_related = ["person", "programme", "village", "organisation"]
    raw_id_fields = ["person", "village", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made on a programme's People page, where the code is shown once."""

    list_display = ["__str__", "programme", "role", "email", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "programme"]
    search_fields = ["email", "given_name", "family_name"]
    list_select_related = ["programme"]
    exclude = ["code_digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

# API tokens and signed-in sessions.
from aldea.accounts import credentials_admin  # noqa: F401
