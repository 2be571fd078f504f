"""The import engine's own parts: remembered cell outcomes and duplicate-key memory."""

from aldea.interop.importers.base import (
    Column,
    ParseContext,
    Reason,
    _CellParser,
    _SeenKeys,
    integer,
    text,
)


def test_a_cell_parser_remembers_repeated_spellings_and_stops_at_its_limit(monkeypatch):
    monkeypatch.setattr(_CellParser, "LIMIT", 3)
    years = _CellParser(0, Column("founded_year", integer(1800, 2100)), ParseContext())
    assert years.outcome("1998") == (False, 1998)
    assert years.outcome("17") == (True, (Reason.OUT_OF_RANGE, "17", "17 is not between 1800 and 2100"))
    assert years.memo == {"1998": (False, 1998), "17": years.outcome("17")}
    names = _CellParser(1, Column("name", text(200)), ParseContext())
    for name in ("Ana", "Bety", "Carla", "Dora"):
        assert names.outcome(name) == (False, name)  # the fourth finds the memo full
    assert names.memo is None


def test_seen_keys_find_repeats_within_a_batch_and_across_merged_batches(monkeypatch):
    monkeypatch.setattr(_SeenKeys, "MERGE_AT", 4)
    seen = _SeenKeys()
    assert seen.first_seen([10, 20, 10, 30]) == [True, True, False, True]
    assert seen.first_seen([40, -5]) == [True, True]  # the fifth distinct hash: all move to the sorted array
    assert len(seen.old) == 5 and not seen.recent
    assert seen.first_seen([30, 7, -5, 7, 2**63 - 1, -(2**63)]) == [False, True, False, False, True, True]
    assert seen.first_seen([2**63 - 1, 99]) == [False, True]


def test_seen_keys_hold_eight_bytes_a_key_once_merged():
    seen = _SeenKeys()
    for start in range(0, 200_000, 2000):
        assert all(seen.first_seen([hash(f"e{i:07d}") for i in range(start, start + 2000)]))
    assert seen.old.nbytes + 8 * len(seen.recent) == 8 * 200_000
    assert not any(seen.first_seen([hash("e0000000"), hash("e0199999")]))
