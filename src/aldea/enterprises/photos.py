"""Checking and resizing a product photo sent from a phone, before anything is stored.

A phone photo is 3–12 MB and 4000 px wide; the showcase and the feeds need at most 1600 px
(Google and Meta ask for 500–1600 px), and the village page a 400 px thumbnail that loads on one
bar of signal. The photo is stored as JPEG, the one format every marketplace takes (Amazon and
Meta refuse WebP), on white where it was transparent; the thumbnail, which only pages show, as
WebP, a third smaller. Both are turned upright from the camera's EXIF orientation, and
without the EXIF block itself (which can hold the GPS position of the producer's home).
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 12 * 1024 * 1024
# Decoded size: a small file can still unpack to a huge image (a "decompression bomb").
MAX_PIXELS = 50_000_000
FULL_SIZE = 1600  # px, longest side
THUMBNAIL_SIZE = 400  # px, longest side
READABLE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
MAX_PHOTOS_PER_PRODUCT = 10  # Google takes one image and ten more


class PhotoRejected(ValueError):
    """The upload is not a photo Aldea stores; ``message`` says why, for the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PreparedPhoto:
    image: bytes  # JPEG, at most FULL_SIZE px on its longest side
    thumbnail: bytes  # WebP, at most THUMBNAIL_SIZE px
    width: int
    height: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _shrunk(image: Image.Image, longest: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)  # only ever shrinks
    return copy


def _jpeg(image: Image.Image, longest: int, quality: int) -> bytes:
    copy = _shrunk(image, longest)
    if copy.mode == "RGBA":
        white = Image.new("RGB", copy.size, (255, 255, 255))
        white.paste(copy, mask=copy.getchannel("A"))
        copy = white
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def _webp(image: Image.Image, longest: int, quality: int) -> bytes:
    out = io.BytesIO()
    _shrunk(image, longest).save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


def prepare_photo(upload) -> PreparedPhoto:
    """The stored versions of ``upload`` (a Django uploaded file or any binary file object).

    Raises PhotoRejected when the file is too large, is not an image Pillow can read, or decodes
    to more than MAX_PIXELS.
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_UPLOAD_BYTES:
        raise PhotoRejected(
            _("The photo is %(size)s MB and the limit is %(limit)s MB: send a smaller photo (your phone's "
              "share or resize option makes one).") % {"size": _megabytes(size), "limit": _megabytes(MAX_UPLOAD_BYTES)}
        )
    not_a_photo = PhotoRejected(_("This file is not a photo Aldea can read: send a JPEG, PNG or WebP image."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in READABLE_FORMATS:
                raise not_a_photo
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRejected(
                    _("The photo is %(width)s × %(height)s pixels, more than Aldea can process: send a smaller one.")
                    % {"width": probe.width, "height": probe.height}
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            original.load()
            image = ImageOps.exif_transpose(original)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        image = image.convert("RGBA" if has_alpha else "RGB")
    full = _jpeg(image, FULL_SIZE, quality=85)
    with Image.open(io.BytesIO(full)) as stored:
        width, height = stored.size
    return PreparedPhoto(image=full, thumbnail=_webp(image, THUMBNAIL_SIZE, quality=75), width=width, height=height)
