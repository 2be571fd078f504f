import gzip
import json

import pytest
from django.urls import reverse

from aldea.territories import geo as figures


def test_light_geojson_keeps_every_municipality_keyed_by_its_code_with_rounded_coordinates():
    payload = figures.light_geojson("municipalities")
    data = json.loads(payload.body)
    assert len(data["features"]) == 2436
    feature = next(f for f in data["features"] if f["id"] == "09012")
    assert feature["properties"] == {"name": "Tlalpan"}
    ring = (
        feature["geometry"]["coordinates"][0]
        if feature["geometry"]["type"] == "Polygon"
        else feature["geometry"]["coordinates"][0][0]
    )
    assert all(round(x, 3) == x and round(y, 3) == y for x, y in ring)
    assert ring[0] == ring[-1]
    # Much lighter than the 2.9 MB shipped file, and far lighter still gzipped.
    assert len(payload.body) < 1_400_000
    assert len(payload.gzipped) < 300_000


def test_light_geojson_of_one_state():
    data = json.loads(figures.light_geojson("municipalities", "20").body)
    source = [
        f
        for f in figures._source("municipalities")["features"]
        if f["properties"]["state_code"] == 20
    ]
    assert len(data["features"]) == len(source) > 500  # Oaxaca has over 500 municipalities
    assert all(f["id"].startswith("20") for f in data["features"])


def test_ring_rounding_drops_repeated_points_and_closes_the_ring():
    ring = [[0.00001, 0.0], [0.00002, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    assert figures._round_ring(ring) == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    assert (
        figures._round_ring([[0.0001, 0.0], [0.0002, 0.0], [0.0001, 0.0001], [0.0001, 0.0]]) is None
    )


def test_centroid_of_a_square():
    area, x, y = figures._ring_centroid([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]])
    assert (area, x, y) == (4.0, 1.0, 1.0)


def test_municipal_centroids_fall_inside_mexico():
    points = figures.centroids("municipalities")
    assert len(points) == 2436
    lon, lat = points["20068"]
    assert -118 < lon < -86 and 14 < lat < 33


@pytest.mark.parametrize("kind", ["states", "municipalities"])
def test_geojson_is_served_gzipped_with_long_cache_headers(client, kind):
    response = client.get(
        reverse("territories:geojson", args=[kind]), HTTP_ACCEPT_ENCODING="gzip, br"
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response["Cache-Control"]
    assert json.loads(gzip.decompress(response.content))["type"] == "FeatureCollection"


def test_geojson_answers_not_modified_to_a_matching_etag(client):
    url = reverse("territories:state_geojson", args=["municipalities", "20"])
    first = client.get(url)
    assert len(json.loads(first.content)["features"]) > 500
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304


@pytest.mark.parametrize("args", [["rivers"], ["states", "20"], ["municipalities", "9x"]])
def test_unknown_geojson_is_not_found(client, args):
    name = "territories:geojson" if len(args) == 1 else "territories:state_geojson"
    assert client.get(reverse(name, args=args)).status_code == 404
