"""Whether collectstatic must run again before serving.

Compressing every static file (gzip and brotli at their highest levels) takes a minute or two,
so `aldea serve` collects only when the manifest is missing or older than a source file: on a
fresh clone and after an upgrade, not on every restart.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

MANIFEST = "staticfiles.json"


def newest_source_mtime() -> float:
    newest = 0.0
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            newest = max(newest, Path(storage.path(path)).stat().st_mtime)
    return newest


def static_files_are_stale() -> bool:
    """True if the collected files are missing or older than one of their sources."""
    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    if not manifest.exists():
        return True
    return newest_source_mtime() > manifest.stat().st_mtime


def collect_before_serving() -> bool:
    """True if pages will link names that only collectstatic makes (DEBUG off and a manifest
    storage, as `aldea demo` and production run) and the collected files are stale."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    if settings.DEBUG or not hasattr(staticfiles_storage, "manifest_name"):
        return False
    return static_files_are_stale()
