"""Product photos: checked with Pillow, resized, thumbnailed and stored through the catalogue's
write policy; refused with a message when not a photo or too large."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from PIL import Image

from aldea.enterprises import photos as photo_rules
from aldea.enterprises.models import Product, ProductPhoto
from aldea.enterprises.photos import PhotoRejected, prepare_photo
from aldea.enterprises.services import add_product_photo, remove_product_photo
from tests import factories as f
from tests.photos import image_bytes, upload

pytestmark = pytest.mark.usefixtures("media_root")

ADD = "/msmes/{code}/products/add/"
VALID = {"title": "Tapete de lana", "sku": "TAP-01", "price": "1250.50", "stock": "3", "is_handmade": "on"}


def opened(field):
    with field.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
    return image


# --- checking and resizing ---------------------------------------------------------------------


def test_a_phone_photo_is_shrunk_to_1600_px_with_a_400_px_thumbnail():
    prepared = prepare_photo(upload(width=4000, height=3000))
    full, thumb = Image.open(io.BytesIO(prepared.image)), Image.open(io.BytesIO(prepared.thumbnail))
    assert (full.format, full.size) == ("JPEG", (1600, 1200))
    assert (thumb.format, thumb.size) == ("WEBP", (400, 300))
    assert (prepared.width, prepared.height) == (1600, 1200)


def test_a_small_photo_is_not_enlarged():
    prepared = prepare_photo(upload(width=640, height=480, fmt="PNG", name="f.png"))
    assert Image.open(io.BytesIO(prepared.image)).size == (640, 480)


def test_a_sideways_camera_photo_is_turned_upright_and_its_exif_and_gps_dropped():
    # Orientation 6: the camera held upright, the sensor's pixels stored sideways.
    prepared = prepare_photo(upload(width=2000, height=1000, exif_orientation=6))
    full = Image.open(io.BytesIO(prepared.image))
    assert full.size == (800, 1600)
    assert not full.getexif()


def test_a_transparent_background_becomes_white_in_the_photo_and_stays_in_the_thumbnail():
    prepared = prepare_photo(upload(width=500, height=500, fmt="PNG", mode="RGBA", color=(0, 0, 0, 0), name="f.png"))
    full = Image.open(io.BytesIO(prepared.image))
    assert (full.mode, full.getpixel((10, 10))) == ("RGB", (255, 255, 255))
    assert Image.open(io.BytesIO(prepared.thumbnail)).mode == "RGBA"


@pytest.mark.parametrize("data", [b"%PDF-1.4 not a photo at all", b"", image_bytes(800, 600)[:400]],
                         ids=["pdf", "empty", "truncated-jpeg"])
def test_a_file_that_is_not_a_readable_image_is_refused_with_a_message(data):
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(upload(data, name="foto.jpg"))
    assert "not a photo Aldea can read" in refused.value.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded():
    too_big = b"\xff\xd8" + b"0" * photo_rules.MAX_UPLOAD_BYTES
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(upload(too_big))
    assert "the limit is 12 MB" in refused.value.message


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(photo_rules, "MAX_PIXELS", 1000 * 1000)
    with pytest.raises(PhotoRejected) as refused:
        prepare_photo(upload(width=1200, height=1000, fmt="PNG", name="f.png"))
    assert "1200 × 1000 pixels" in refused.value.message


# --- the service and its policy --------------------------------------------------------------


def test_owner_adds_a_photo_stored_under_media_root(world, media_root):
    product = f.ProductFactory(enterprise=world.owned_msme)
    photo = add_product_photo(user=world.msme_owner, product=product, upload=upload(width=3200, height=1600))
    photo.refresh_from_db()
    assert (photo.width, photo.height, photo.position) == (1600, 800, 1)
    assert photo.image.name == f"products/owned/{photo.token}.jpg"
    assert (media_root / photo.image.name).is_file() and (media_root / photo.thumbnail.name).is_file()
    assert opened(photo.thumbnail).size == (400, 200)
    second = add_product_photo(user=world.msme_owner, product=product, upload=upload(width=800, height=800))
    assert second.position == 2 and second.token != photo.token


@pytest.mark.parametrize("name", ["analyst", "trainer", "partner", "outsider"])
def test_people_who_do_not_keep_the_catalogue_cannot_add_a_photo(name, world, personas):
    product = f.ProductFactory(enterprise=world.owned_msme)
    with pytest.raises(PermissionDenied):
        add_product_photo(user=personas[name], product=product, upload=upload(width=500, height=500))
    assert not ProductPhoto.objects.exists()


def test_a_manager_of_another_programme_cannot_add_a_photo(world):
    from tests.conftest import make_persona

    other_manager = make_persona("manager", world.other)
    product = f.ProductFactory(enterprise=world.owned_msme)
    with pytest.raises(PermissionDenied):
        add_product_photo(user=other_manager, product=product, upload=upload(width=500, height=500))
    # …and may add one to a product of her own programme.
    own = f.ProductFactory(enterprise=world.other_msme)
    assert add_product_photo(user=other_manager, product=own, upload=upload(width=500, height=500)).pk


def test_a_product_takes_at_most_ten_photos(world):
    product = f.ProductFactory(enterprise=world.owned_msme)
    for _ in range(photo_rules.MAX_PHOTOS_PER_PRODUCT):
        add_product_photo(user=world.manager, product=product, upload=upload(width=50, height=50))
    with pytest.raises(PhotoRejected, match="remove one first"):
        add_product_photo(user=world.manager, product=product, upload=upload(width=50, height=50))


def test_removing_a_photo_deletes_its_files_once_committed(world, media_root, django_capture_on_commit_callbacks):
    product = f.ProductFactory(enterprise=world.owned_msme)
    photo = add_product_photo(user=world.msme_owner, product=product, upload=upload(width=500, height=500))
    files = [media_root / photo.image.name, media_root / photo.thumbnail.name]
    with pytest.raises(PermissionDenied):
        remove_product_photo(user=world.analyst, photo=photo)
    with django_capture_on_commit_callbacks(execute=True):
        remove_product_photo(user=world.msme_owner, photo=photo)
    assert not ProductPhoto.objects.exists()
    assert not any(path.exists() for path in files)


# --- the phone form --------------------------------------------------------------------------


def test_the_product_form_takes_a_photo_from_the_phone(world, login):
    client = login(world.msme_owner)
    page = client.get(ADD.format(code="owned")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="photo"' in page
    response = client.post(ADD.format(code="owned"), {**VALID, "photo": upload(width=2400, height=2400)})
    assert response.status_code == 302
    product = Product.objects.get(enterprise=world.owned_msme, sku="TAP-01")
    assert opened(product.photos.get().image).size == (1600, 1600)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a but really a text file", "This file is not a photo Aldea can read"),
        (b"\xff\xd8" + b"0" * (photo_rules.MAX_UPLOAD_BYTES + 10), "the limit is 12 MB"),
    ],
    ids=["not-an-image", "too-large"],
)
def test_a_refused_photo_shows_the_reason_beside_the_field_and_saves_nothing(data, message, world, login):
    response = login(world.consultant).post(ADD.format(code="owned"), {**VALID, "photo": upload(data)})
    assert response.status_code == 400
    body = response.content.decode()
    field_block = body.split('id="id_photo"', 1)[1].split('class="field"', 1)[0]
    assert message in field_block
    assert not Product.objects.filter(sku="TAP-01").exists()
    assert not ProductPhoto.objects.exists()


def test_editing_adds_a_photo_and_lists_it_with_a_remove_button(world, login, django_capture_on_commit_callbacks):
    product = f.ProductFactory(enterprise=world.owned_msme, sku="A/B 1")
    url = f"/msmes/owned/products/{product.sku}/edit/"
    client = login(world.consultant)
    assert client.post(url, {**VALID, "sku": "A/B 1", "photo": upload(width=900, height=600)}).status_code == 302
    photo = product.photos.get()
    page = client.get(url).content.decode()
    assert f"/photos/{photo.token}-thumb.webp" in page
    remove = f"/msmes/owned/products/A/B%201/photos/{photo.token}/remove/"
    assert remove in page
    assert client.get(remove).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not product.photos.exists()


def test_removing_another_msmes_photo_is_not_found(world, login):
    product = f.ProductFactory(enterprise=world.village_msme, sku="X1")
    photo = add_product_photo(user=world.manager, product=product, upload=upload(width=50, height=50))
    for user, code in ((world.msme_owner, "village-msme"), (world.outsider, "village-msme"), (world.msme_owner, "owned")):
        assert login(user).post(f"/msmes/{code}/products/X1/photos/{photo.token}/remove/").status_code == 404
    assert login(world.analyst).post(f"/msmes/village-msme/products/X1/photos/{photo.token}/remove/").status_code == 403
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()


def test_the_msme_page_shows_the_products_thumbnail(world, login):
    product = f.ProductFactory(enterprise=world.owned_msme)
    photo = add_product_photo(user=world.manager, product=product, upload=upload(width=50, height=50))
    assert f"/photos/{photo.token}-thumb.webp" in login(world.msme_owner).get("/msmes/owned/").content.decode()
