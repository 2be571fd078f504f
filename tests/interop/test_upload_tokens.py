"""Upload tokens name an upload, never a path: a forged or traversing token imports nothing.

The attack of issue 14: with the secret key (a published development key), a manager signed a
token naming a file outside the upload folder, which the server imported and then deleted.
"""

import pytest
from django.core import signing
from django.urls import reverse
from test_views import CSV, manager, upload  # noqa: F401 (the manager fixture)

from aldea.enterprises.models import Enterprise
from aldea.interop.services import UPLOAD_DIR_NAME, UploadRefused, commit_upload

SALT = "aldea.interop.upload"


def signed(manager, **fields):  # noqa: F811
    """A token signed with the server's own key, as a holder of the key could make one."""
    return signing.dumps({"kind": "enterprises", "mode": "valid-rows", "user": manager.pk, "name": "x.csv", **fields},
                         salt=SALT)


@pytest.fixture
def outside_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    victim = tmp_path / "victim.csv"
    victim.write_bytes(CSV)
    return victim


def test_the_token_carries_no_path(client, manager, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    token = upload(client).context["token"]
    data = signing.loads(token, salt=SALT)
    assert "file" not in data and "/" not in data["upload"] and set(data["upload"]) <= set("0123456789abcdef")
    stored = list((tmp_path / UPLOAD_DIR_NAME).iterdir())
    assert [p.name for p in stored] == [data["upload"] + data["format"]]


@pytest.mark.parametrize("fields", [
    {"upload": "../../victim", "format": ".csv"},
    {"upload": "/etc/passwd", "format": ""},
    {"upload": "0" * 32, "format": ".csv/../../../victim.csv"},
    {"upload": "0" * 32, "format": ".csv\n"},
    {"upload": "0" * 31 + "g", "format": ".csv"},
    {"upload": ["0" * 32], "format": ".csv"},
    {"file": "../../victim.csv"},  # the old token shape
])
def test_a_forged_or_traversing_token_is_refused_and_touches_nothing(client, manager, outside_file, fields):  # noqa: F811
    token = signed(manager, **fields)
    with pytest.raises(UploadRefused, match="not valid"):
        commit_upload(user=manager, token=token)
    client.force_login(manager)
    response = client.post(reverse("interop:commit"), {"token": token})
    assert response.status_code == 400
    assert outside_file.exists() and outside_file.read_bytes() == CSV
    assert Enterprise.objects.count() == 0


def test_a_token_for_a_file_the_folder_does_not_hold_is_refused(manager, outside_file):  # noqa: F811
    with pytest.raises(UploadRefused, match="already imported"):
        commit_upload(user=manager, token=signed(manager, upload="a" * 32, format=".csv"))
