from django.urls import path

from aldea.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("<slug:code>/products/add/", views.product_form, name="product_add"),
    # SKUs are free text, so the SKU takes the rest of the path before "edit/".
    path("<slug:code>/products/<path:sku>/edit/", views.product_form, name="product_edit"),
    path("<slug:code>/products/<path:sku>/photos/<slug:token>/remove/", views.photo_remove, name="photo_remove"),
]
