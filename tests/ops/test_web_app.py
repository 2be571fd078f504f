"""The installable web app: its manifest, and the service worker served from the site's root."""

import json

import pytest


@pytest.mark.django_db
def test_the_service_worker_is_served_at_the_root_unhashed_and_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert b"aldea-pages-v1" in response.content


@pytest.mark.django_db
def test_the_manifest_makes_aldea_installable_in_spanish(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["lang"], manifest["start_url"], manifest["display"]) == ("Aldea", "es", "/", "standalone")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512", "any"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_every_page_links_the_manifest_and_loads_the_offline_script_without_inline_code(client, world):
    client.force_login(world.trainer)
    html = client.get("/training/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'src="/static/aldea/offline.js" defer' in html
    assert f'<meta name="aldea-user" content="{world.trainer.pk}">' in html


def test_signed_in_pages_stay_out_of_the_http_cache(client, world):
    # The service worker's Cache Storage keeps the field pages; the browser's HTTP cache must not.
    client.force_login(world.trainer)
    response = client.get("/training/")
    assert "no-store" in response["Cache-Control"]
