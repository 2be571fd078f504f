"""What the commands that work programme by programme share: the ``--programme`` option."""

from django.core.management.base import CommandError

from aldea.programmes.models import Programme


def add_programme_option(parser) -> None:
    parser.add_argument("--programme", help="programme code (slug); default: every programme")


def chosen_programmes(slug: str | None):
    """The programme named by ``--programme``, or every programme (by code) without it."""
    programmes = Programme.objects.order_by("slug")
    if slug:
        programmes = programmes.filter(slug=slug)
        if not programmes.exists():
            raise CommandError(f"No programme with code {slug!r}")
    return programmes
