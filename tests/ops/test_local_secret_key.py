"""The development key in the data folder: made once, whole, and the same for every process."""

import multiprocessing
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from aldea.ops.conf import LOCAL_KEY_NAME, local_secret_key


def _key_after(barrier, data_dir, results):
    barrier.wait()
    try:
        results.put(local_secret_key(data_dir))
    except ImproperlyConfigured as exc:  # a half-written key, read by a process beside
        results.put(f"failed: {exc}")


def test_processes_starting_together_get_one_whole_key(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(8), context.Queue()
    processes = [context.Process(target=_key_after, args=(barrier, tmp_path, results)) for _ in range(8)]
    for process in processes:
        process.start()
    keys = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert len(set(keys)) == 1 and not keys[0].startswith("failed")
    assert (tmp_path / LOCAL_KEY_NAME).read_text().strip() == keys[0]
    assert [p.name for p in tmp_path.iterdir()] == [LOCAL_KEY_NAME]  # no file of a process left
    assert stat.S_IMODE((tmp_path / LOCAL_KEY_NAME).stat().st_mode) == 0o600


def test_a_kept_key_is_read_again_and_an_empty_one_is_refused_plainly(tmp_path):
    assert local_secret_key(tmp_path) == local_secret_key(tmp_path)
    (tmp_path / LOCAL_KEY_NAME).write_text("")
    with pytest.raises(ImproperlyConfigured, match="is empty"):
        local_secret_key(tmp_path)
