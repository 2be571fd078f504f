"""Static files as production serves them: hashed names, gzip and brotli copies, a year's caching.

The test suite's own settings use the plain storage (no collectstatic needed); here the
production storage collects Aldea's own static folder into a temporary STATIC_ROOT.
"""

import gzip
import os
import re
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

from aldea.core.templatetags.aldea_charts import PLOTLY_BUNDLE
from aldea.ops.static import static_files_are_stale

SOURCE = Path(__file__).resolve().parents[2] / "src" / "aldea" / "static"


def production_storage(static_root: Path, **more):
    return override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        STATIC_ROOT=static_root,
        # Aldea's own files only: compressing the admin's and the API docs' takes minutes.
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        **more,
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Collected once for the module: brotli at its highest level takes seconds."""
    with production_storage(tmp_path_factory.mktemp("collected")):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


def test_pages_link_the_hashed_name_of_the_chart_bundle(collected):
    assert re.fullmatch(r"/static/vendor/plotly/plotly-aldea\.min\.[0-9a-f]{12}\.js", static(PLOTLY_BUNDLE))


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "encoding", "decompress"), [
    ("br, gzip", "br", brotli.decompress),
    ("gzip", "gzip", gzip.decompress),
])
def test_the_chart_bundle_is_sent_compressed_and_cached_for_a_year(collected, accept, encoding, decompress):
    response = Client().get(static(PLOTLY_BUNDLE), HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "immutable" in response.headers["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"])[1]) >= 365 * 24 * 3600
    body = decompress(b"".join(response.streaming_content))
    assert body == (SOURCE / PLOTLY_BUNDLE).read_bytes()


@pytest.mark.django_db
def test_the_login_page_links_hashed_stylesheet_and_scripts(collected):
    html = Client().get("/accounts/login/").content.decode()
    assert re.search(r'href="/static/aldea/aldea\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js"', html)


def test_static_files_are_stale_until_collected_and_again_after_a_source_changes(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "app.js").write_text("console.log(1);\n")
    with production_storage(tmp_path / "collected", STATICFILES_DIRS=[source]):
        assert static_files_are_stale()
        call_command("collectstatic", interactive=False, verbosity=0)
        assert not static_files_are_stale()
        later = (tmp_path / "collected" / "staticfiles.json").stat().st_mtime + 10
        os.utime(source / "app.js", (later, later))
        assert static_files_are_stale()


def test_the_chart_bundle_is_the_plotly_js_of_the_plotly_package():
    """Python writes figures for the plotly.js its package bundles; rebuild the partial bundle
    (tools/build_plotly.sh with PLOTLY_JS set) when the plotly package is upgraded."""
    import plotly

    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:200]
    bundled = (SOURCE / PLOTLY_BUNDLE).read_text()[:300]
    assert re.search(r"plotly\.js v([\d.]+)", full)[1] == re.search(r"plotly\.js v([\d.]+)", bundled)[1]
