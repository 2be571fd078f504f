"""Public village showcases: no login, only producers who consented, aggregates only where at
least five MSMEs stand behind them."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from aldea.enterprises.models import Enterprise, Product
from aldea.showcase.figures import village_figures
from aldea.showcase.links import absolute, photo_path, product_image, product_path
from aldea.showcase.queries import (
    categories_on_show,
    live_web_listings,
    photo_visible_to,
    products_on_show,
    public_villages,
    search_products_on_show,
    showcased_producers,
)

# Short pages for a phone on one bar of signal: a few producers, each with a row of products.
PRODUCERS_PER_PAGE = 8
PRODUCTS_PER_PRODUCER = 6
RESULTS_PER_PAGE = 12
VILLAGES_PER_PAGE = 48
SEARCH_MAX_LENGTH = 100


def village_list(request):
    villages = (
        public_villages()
        .select_related("municipality__parent")
        .annotate(
            producers=Count(
                "enterprises",
                filter=Q(enterprises__has_showcase_consent=True, enterprises__group=Enterprise.Group.PARTICIPANT),
            )
        )
        .order_by("name", "pk")
    )
    page = Paginator(villages, VILLAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "showcase/village_list.html", {"page": page})


def _card_products():
    return Product.objects.select_related("enterprise__village").prefetch_related(
        "photos", Prefetch("listings", queryset=live_web_listings().order_by("channel__name"), to_attr="live_listings")
    )


def village(request, slug):
    village = get_object_or_404(
        public_villages().select_related("programme", "municipality__parent", "locality"), slug=slug
    )
    text = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    categories = categories_on_show(village)
    category = request.GET.get("category", "")
    category = category if category in categories else ""
    searching = bool(text or category)
    if searching:
        # A search lists the matching products themselves, not their producers.
        results = _card_products().filter(
            pk__in=search_products_on_show(village, text=text, category=category).values("pk")
        ).select_related("enterprise").order_by("title", "pk")
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        cover = next((product_image(p) for p in page.object_list if product_image(p)), None)
    else:
        producers = (
            showcased_producers(village)
            .select_related("owner")
            .order_by("name", "pk")
            .prefetch_related(Prefetch(
                "products", queryset=_card_products().order_by("title", "pk")[:PRODUCTS_PER_PRODUCER],
                to_attr="shown_products",
            ))
        )
        page = Paginator(producers, PRODUCERS_PER_PAGE).get_page(request.GET.get("page"))
        cover = next(
            (product_image(p) for producer in page.object_list for p in producer.shown_products if product_image(p)),
            None,
        )
    # The search and filter ride along on the pager's links.
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "village": village,
        "page": page,
        "figures": village_figures(village, today=timezone.localdate()),
        "currency": village.programme.currency,
        "cover_image": request.build_absolute_uri(cover) if cover else None,
        "searching": searching,
        "text": text,
        "category": category,
        "categories": categories,
        "query_string": kept.urlencode(),
    }
    return render(request, "showcase/village.html", context)


def product(request, village, code, sku):
    """A product's public page: the address the marketplace feeds link to."""
    product = get_object_or_404(
        products_on_show()
        .select_related("enterprise__village__municipality__parent", "enterprise__owner")
        .prefetch_related("photos", Prefetch(
            "listings", queryset=live_web_listings().order_by("channel__name"), to_attr="live_listings"
        )),
        enterprise__village__slug=village, enterprise__code=code, sku=sku,
    )
    photos = list(product.photos.all())
    pictures = [photo_path(p) for p in photos] or list(product.image_urls)
    context = {
        "product": product,
        "enterprise": product.enterprise,
        "village": product.enterprise.village,
        "photos": photos,
        "pictures": pictures,
        "share_image": (absolute(pictures[0]) or request.build_absolute_uri(pictures[0])) if pictures else "",
        "canonical": absolute(product_path(product)) or request.build_absolute_uri(product_path(product)),
    }
    return render(request, "showcase/product.html", context)


@require_safe
def photo(request, token, size="full"):
    """A product photo's file: public when its product is on show, else for those who see it."""
    found, is_public = photo_visible_to(request.user, token)
    if found is None:
        raise Http404
    stored = found.thumbnail if size == "thumbnail" else found.image
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/webp" if size == "thumbnail" else "image/jpeg")
    # A token names one file forever (a new photo gets a new token), so browsers may keep it;
    # a private photo is kept by the browser only, never by a shared cache.
    response["Cache-Control"] = "public, max-age=604800" if is_public else "private, max-age=3600"
    return response
