from pathlib import Path

import pytest

from aldea.territories.data import build
from aldea.territories.services import MEXICO_MUNICIPALITIES_FILE

SOURCE = build.DEFAULT_SOURCE


@pytest.mark.skipif(not (SOURCE / build.CONAPO_FILE).exists(), reason="shared source data not present")
def test_build_reproduces_the_packaged_file_byte_for_byte(tmp_path: Path):
    output = tmp_path / "out.csv.gz"
    assert build.build(SOURCE, output) == 2469
    assert output.read_bytes() == MEXICO_MUNICIPALITIES_FILE.read_bytes()
