from django.contrib import admin

from aldea.core.admin_actions import HistoryAdminMixin
from aldea.enterprises.models import Enterprise, Product, ProductPhoto


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = ["sku", "title", "price", "currency", "stock", "is_handmade"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "village", "group", "sector", "is_women_led", "employees", "municipality"]
    list_filter = ["group", "sector", "is_women_led", "formal_status", "programme", "village"]
    search_fields = ["name", "code", "speciality", "owner__given_name", "owner__family_name"]
    list_select_related = ["village", "municipality"]
    raw_id_fields = ["owner", "municipality", "locality", "village"]
    inlines = [ProductInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "enterprise", "price", "currency", "stock", "is_handmade", "gtin"]
    list_filter = ["is_handmade", "currency"]
    search_fields = ["title", "sku", "gtin", "mpn", "enterprise__name"]
    list_select_related = ["enterprise"]
    raw_id_fields = ["enterprise"]


@admin.register(ProductPhoto)
class ProductPhotoAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """Photos are checked, resized and stored (and their files removed) only by
    services.add_product_photo and remove_product_photo: the admin shows them."""

    list_display = ["product", "position", "width", "height", "token"]
    search_fields = ["product__title", "product__sku", "product__enterprise__name"]
    list_select_related = ["product"]
