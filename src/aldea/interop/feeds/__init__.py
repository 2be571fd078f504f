"""Marketplace product feeds: each channel's own file, after checking its required fields.

``write_feed(channel, out)`` checks every product against the channel's requirements, writes the
products that pass, and returns a report that names, per product, what is missing and how to fix
it; nothing is left out silently. What cannot be checked (a Mercado Libre category missing from the
shipped attribute table) is a note in ``warnings`` and does not keep a product out. Handmade goods
without a GTIN use each channel's "no identifier" convention (Google ``identifier_exists=no``,
Mercado Libre ``EMPTY_GTIN_REASON``, Amazon ``supplier_declared_has_product_identifier_exemption``).
"""

from aldea.interop.feeds.base import FeedReport, Problem
from aldea.interop.feeds.channels import CHANNELS, write_feed

__all__ = ["CHANNELS", "FeedReport", "Problem", "write_feed"]
