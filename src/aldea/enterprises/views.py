"""The product form of an MSME's catalogue (the profile itself is a workspace page)."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aldea.core.access import changeable_or_404
from aldea.enterprises.forms import ProductForm
from aldea.enterprises.models import Enterprise, Product, ProductPhoto
from aldea.enterprises.photos import PhotoRejected
from aldea.enterprises.queries import enterprises_visible_to, enterprises_with_editable_products
from aldea.enterprises.services import add_product_photo, remove_product_photo


def _editable_enterprise(user, code) -> Enterprise:
    """The MSME whose catalogue ``user`` edits: 404 out of scope, 403 when only readable."""
    return changeable_or_404(
        enterprises_visible_to(user).select_related("programme"), enterprises_with_editable_products(user), code=code
    )


@login_required
def product_form(request, code, sku=None):
    enterprise = _editable_enterprise(request.user, code)
    product = get_object_or_404(Product, enterprise=enterprise, sku=sku) if sku is not None else None
    form = ProductForm(request.POST or None, request.FILES or None, instance=product, enterprise=enterprise)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                # The product and its new photo together: a refused photo saves nothing.
                with transaction.atomic():
                    saved = form.save()
                    if form.cleaned_data.get("photo"):
                        add_product_photo(user=request.user, product=saved, upload=form.cleaned_data["photo"])
            except PhotoRejected as rejected:
                form.add_error("photo", rejected.message)
                if product is None:
                    form.instance.pk = None
                    form.instance._state.adding = True
            else:
                return redirect(reverse("workspace:msme", kwargs={"code": enterprise.code}) + "#products")
        status = 400
    photos = list(product.photos.all()) if product is not None else []
    return render(
        request, "enterprises/product_form.html",
        {"enterprise": enterprise, "product": product, "form": form, "photos": photos}, status=status,
    )


@login_required
@require_POST
def photo_remove(request, code, sku, token):
    enterprise = _editable_enterprise(request.user, code)
    photo = get_object_or_404(
        ProductPhoto.objects.select_related("product"), product__enterprise=enterprise, product__sku=sku, token=token,
    )
    remove_product_photo(user=request.user, photo=photo)
    return redirect(reverse("enterprises:product_edit", kwargs={"code": enterprise.code, "sku": sku}) + "#photos")
