"""The admin's side of the write-path rule (decision P9 in docs/decisions.md).

Fields with a rule or a history (statuses, stages, certificate codes, who recorded what) are
read-only in the admin; they change through actions that call the app's service for each
selected row, and an add form creates its row through the service too. The pieces here:

* ``service_action`` builds such an action, with a confirmation page asking for a reason when
  the service needs one (a revocation, a drop);
* ``ServiceCreateMixin`` makes a ModelAdmin's add form create through a service, showing the
  service's refusal on the form;
* ``HistoryAdminMixin`` makes a ModelAdmin (or an inline) of history rows view-only.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aldea.core.exceptions import DomainError


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def service_action(name: str, description, change: Callable, *, asks_reason: bool = False):
    """An admin action named ``name`` that calls ``change(row, user=…)`` (and ``reason=…`` when
    ``asks_reason``) for each selected row, each in its own transaction. A refusal (DomainError)
    is reported with the row and skips it; the others go ahead."""

    def action(modeladmin, request, queryset):
        extra = {}
        if asks_reason:
            form = ReasonForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                return TemplateResponse(request, "admin/aldea/action_reason.html", {
                    **modeladmin.admin_site.each_context(request),
                    "title": description,
                    "form": form,
                    "queryset": queryset,
                    "opts": modeladmin.model._meta,
                    "action": name,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                })
            extra["reason"] = form.cleaned_data["reason"]
        changed = 0
        for row in queryset:
            try:
                with transaction.atomic():
                    change(row, user=request.user, **extra)
            except DomainError as error:
                modeladmin.message_user(request, f"{row}: {error}", messages.ERROR)
            else:
                changed += 1
        if changed:
            modeladmin.message_user(request, _("%(count)s changed.") % {"count": changed}, messages.SUCCESS)
        return None

    action.__name__ = name
    action.short_description = description
    action.allowed_permissions = ("change",)
    return action


class ServiceCreateMixin:
    """A ModelAdmin whose add form creates the row with ``create_service(**cleaned_data, user=…)``.

    ``create_refusal(cleaned_data)`` (optional) returns the service's reason to refuse, shown on
    the form before anything is written. Changes of an existing row save its plain fields; its
    service-owned fields are read-only.
    """

    create_service: Callable
    create_refusal: Callable | None = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = type(self).create_refusal
        if obj is not None or refusal is None:
            return form

        class ServiceCheckedForm(form):
            def clean(self):
                cleaned = super().clean()
                if not self.errors:
                    message = refusal(cleaned)
                    if message:
                        raise forms.ValidationError(message)
                return cleaned

        return ServiceCheckedForm

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = type(self).create_service(**form.cleaned_data, user=request.user)
        # The admin goes on with its own instance (the log entry, the redirect): make it the row.
        obj.pk = created.pk
        obj._state.adding = False
        obj.refresh_from_db()


class HistoryAdminMixin:
    """History rows are written by services only: the admin shows them and changes nothing."""

    can_delete = False  # for inlines

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
