"""Public village showcases: no login, only producers who consented, aggregates only where at
least five MSMEs stand behind them."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing
from aldea.showcase.figures import village_figures
from aldea.showcase.queries import public_villages, showcased_producers

PRODUCERS_PER_PAGE = 24
PRODUCTS_PER_PRODUCER = 6
VILLAGES_PER_PAGE = 48


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


def village(request, slug):
    village = get_object_or_404(
        public_villages().select_related("programme", "municipality__parent", "locality"), slug=slug
    )
    # Only web links: a listing URL imported from a feed is not trusted to be http(s).
    live_listings = Listing.objects.filter(
        Q(url__startswith="https://") | Q(url__startswith="http://"), status=Listing.Status.LIVE
    ).select_related("channel")
    products = (
        Product.objects.order_by("title", "pk")
        .prefetch_related(Prefetch("listings", queryset=live_listings.order_by("channel__name"), to_attr="live_listings"))
    )
    producers = (
        showcased_producers(village)
        .select_related("owner")
        .order_by("name", "pk")
        .prefetch_related(Prefetch("products", queryset=products[:PRODUCTS_PER_PRODUCER], to_attr="shown_products"))
    )
    page = Paginator(producers, PRODUCERS_PER_PAGE).get_page(request.GET.get("page"))
    cover = next(
        (p.image_urls[0] for producer in page.object_list for p in producer.shown_products if p.image_urls), None
    )
    context = {
        "village": village,
        "page": page,
        "figures": village_figures(village, today=timezone.localdate()),
        "currency": village.programme.currency,
        "cover_image": cover,
    }
    return render(request, "showcase/village.html", context)
