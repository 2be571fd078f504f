"""The invitee's pages: type a code (or open the link), choose a user name and password, join."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from aldea.accounts.invitations import (
    InvitationRefused,
    accept_invitation,
    normalise_code,
    pending_invitation,
)
from aldea.core.exceptions import DomainError


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Invitation code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class JoinForm(forms.Form):
    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=100)
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=100, required=False)
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


@require_http_methods(["GET", "POST"])
def join(request):
    """Where field staff type the code printed on their invitation."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        try:
            pending_invitation(code)
        except InvitationRefused as error:
            form.add_error("code", str(error))
        else:
            return redirect("accounts:join-code", code=code)
    return render(request, "accounts/join.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def join_code(request, code):
    """The invitation a link or a code opens: a new account, or the signed-in person's."""
    try:
        invitation = pending_invitation(code)
    except InvitationRefused as error:
        return render(request, "accounts/join.html", {"form": CodeForm(), "refusal": str(error)}, status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else JoinForm(request.POST or None, initial={
        "given_name": invitation.given_name, "family_name": invitation.family_name})
    if request.method == "POST" and (signed_in or form.is_valid()):
        data = {} if signed_in else form.cleaned_data
        try:
            membership = accept_invitation(code=code, user=request.user if signed_in else None, **data)
        except InvitationRefused as error:
            return render(request, "accounts/join.html", {"form": CodeForm(), "refusal": str(error)}, status=404)
        except DomainError as error:
            form.add_error(None, str(error)) if form else messages.error(request, str(error))
        else:
            if not signed_in:
                login(request, membership.person.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(programme)s.") % {"programme": invitation.programme})
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/join_code.html", {"invitation": invitation, "form": form, "code": code},
                  status=status)
