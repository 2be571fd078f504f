"""The public addresses of products and their photos, for the showcase pages and the feeds.

Pages link paths; the marketplace feeds and the pages' social-card tags need absolute URLs, built
from ``ALDEA_PUBLIC_URL`` (``settings.PUBLIC_URL``) or an address the caller gives.
"""

from django.conf import settings
from django.urls import reverse


def product_path(product) -> str:
    village = product.enterprise.village.slug if product.enterprise.village_id else "-"
    return reverse("showcase:product", kwargs={"village": village, "code": product.enterprise.code, "sku": product.sku})


def photo_path(photo, *, thumbnail: bool = False) -> str:
    return reverse("showcase:photo_thumbnail" if thumbnail else "showcase:photo", kwargs={"token": photo.token})


def absolute(path: str, base_url: str = "") -> str:
    """``path`` under ``base_url`` (else ``ALDEA_PUBLIC_URL``); empty when neither is set."""
    base = (base_url or settings.PUBLIC_URL or "").rstrip("/")
    return f"{base}{path}" if base else ""


def product_image(product, *, thumbnail: bool = False) -> str:
    """The product's first picture for a page: its first uploaded photo, else its first photo URL.

    Reads ``product.photos.all()``, so prefetch ``photos`` when listing products."""
    photos = list(product.photos.all())
    if photos:
        return photo_path(photos[0], thumbnail=thumbnail)
    return product.image_urls[0] if product.image_urls else ""
