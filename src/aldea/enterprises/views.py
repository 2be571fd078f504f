"""The product form of an MSME's catalogue (the profile itself is a workspace page)."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from aldea.core.access import changeable_or_404
from aldea.enterprises.forms import ProductForm
from aldea.enterprises.models import Enterprise, Product
from aldea.enterprises.queries import enterprises_visible_to, enterprises_with_editable_products


def _editable_enterprise(user, code) -> Enterprise:
    """The MSME whose catalogue ``user`` edits: 404 out of scope, 403 when only readable."""
    return changeable_or_404(
        enterprises_visible_to(user).select_related("programme"), enterprises_with_editable_products(user), code=code
    )


@login_required
def product_form(request, code, sku=None):
    enterprise = _editable_enterprise(request.user, code)
    product = get_object_or_404(Product, enterprise=enterprise, sku=sku) if sku is not None else None
    form = ProductForm(request.POST or None, instance=product, enterprise=enterprise)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
            return redirect(reverse("workspace:msme", kwargs={"code": enterprise.code}) + "#products")
        status = 400
    else:
        status = 200
    return render(
        request, "enterprises/product_form.html",
        {"enterprise": enterprise, "product": product, "form": form}, status=status,
    )
