from django import template

from aldea.showcase.links import product_image, product_path

register = template.Library()


@register.simple_tag
def product_picture(product, size="full"):
    """``{% product_picture product "thumbnail" %}``: the address of the product's first picture, or ""."""
    return product_image(product, thumbnail=size == "thumbnail")


@register.simple_tag
def product_page(product):
    """``{% product_page product %}``: the product's public page on the showcase."""
    return product_path(product)
