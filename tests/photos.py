"""Real image files made with Pillow, as a phone would send them, for the photo tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width=3000, height=2000, *, fmt="JPEG", color=(200, 80, 40), mode="RGB", exif_orientation=None):
    image = Image.new(mode, (width, height), color)
    out = io.BytesIO()
    kwargs = {}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x8825] = {2: (19.0, 26.0, 0.0)}  # a GPS block, as phones write it
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(data=None, name="foto.jpg", content_type="image/jpeg", **image_options):
    return SimpleUploadedFile(name, image_bytes(**image_options) if data is None else data, content_type=content_type)
