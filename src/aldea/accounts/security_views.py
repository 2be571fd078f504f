"""Pages for one's own sessions and API tokens, and the manager's password links."""

import base64

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from aldea.accounts import sessions, tokens, two_factor
from aldea.accounts.recovery import LinkRefused, issue_password_link, users_recoverable_by


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """The user's signed-in sessions and API tokens; a new token's key is shown once."""
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = tokens.issue_token(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    # The current session is recorded even when it began before sessions were tracked.
    sessions.record_session(sender=None, request=request, user=request.user)
    return render(request, "accounts/security.html", {
        "sessions": sessions.active_sessions_of(request.user),
        "current_session_key": request.session.session_key,
        "tokens": tokens.active_tokens_of(request.user),
        "form": form,
        "new_key": new_key,
        "may_use_two_factor": two_factor.may_use_two_factor(request.user),
        "may_issue_password_links": users_recoverable_by(request.user).exists(),
    })


@login_required
@require_POST
def end_session(request, pk):
    if not sessions.end_session(user=request.user, session_id=pk):
        raise Http404
    return redirect("accounts:security")


@login_required
@require_POST
def revoke_token(request, pk):
    if not tokens.revoke_token(user=request.user, token_id=pk):
        raise Http404
    return redirect("accounts:security")


class PasswordLinkForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=None, to_field_name="username")

    def __init__(self, *args, issuer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users_recoverable_by(issuer).order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


@login_required
@require_http_methods(["GET", "POST"])
def password_link(request):
    """A manager makes a one-time password link for a member of their programme."""
    if not users_recoverable_by(request.user).exists():
        raise Http404
    form = PasswordLinkForm(request.POST or None, issuer=request.user)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            link = request.build_absolute_uri(issue_password_link(issuer=request.user, user=form.cleaned_data["user"]))
        except LinkRefused as exc:  # the choices already exclude them; a race with a membership change
            form.add_error("user", str(exc))
    return render(request, "accounts/password_link.html", {"form": form, "link": link,
                                                            "title": _("Password link for field staff")})


class CodeForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("Code from your authenticator app"), max_length=10,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_page(request):
    """Turn the second factor on (scan a QR code, confirm a code) or off (with a code)."""
    import segno

    user = request.user
    if not two_factor.may_use_two_factor(user):
        raise Http404
    action = request.POST.get("action", "")
    form = CodeForm(request.POST if action in {"confirm", "off"} else None)
    device, error = None, ""
    if action == "start":
        device = two_factor.start_enrolment(user=user)
    elif action == "confirm" and form.is_valid():
        if not two_factor.confirm_enrolment(user=user, token=form.cleaned_data["token"]):
            device = user.totpdevice_set.filter(confirmed=False).first()
            error = _("That code does not match; check the app's clock and try the next code.")
    elif action == "off" and form.is_valid() and not two_factor.turn_off(user=user, token=form.cleaned_data["token"]):
        error = _("That code does not match.")
    context = {"enabled": two_factor.confirmed_device(user) is not None, "device": device, "form": form, "error": error}
    if device is not None:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)
