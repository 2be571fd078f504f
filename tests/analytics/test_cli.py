"""The Django-free entry points behind ``aldea detect`` and ``aldea inequality``."""

from __future__ import annotations

import json

import pandas as pd

from aldea.analytics.cli import main_detect, main_inequality


def _files(tmp_path):
    rows = ["seller_id,date,amount,currency"]
    rows += [f"s{i},2024-05-01,100000,CNY" for i in range(100)]
    rows += ["s1,2024-05-02,-3,CNY"]
    (tmp_path / "sales.csv").write_text("\n".join(rows) + "\n")
    sellers = ["seller_id,locality_code,category"] + [f"s{i},v1,toys" for i in range(100)]
    (tmp_path / "sellers.csv").write_text("\n".join(sellers) + "\n")
    (tmp_path / "loc.csv").write_text("code,name,parent_code,households\nv1,Uno,T,900\n")


def test_detect_writes_outputs_and_prints_counts(tmp_path, capsys):
    _files(tmp_path)
    code = main_detect([
        "--sales", str(tmp_path / "sales.csv"), "--localities", str(tmp_path / "loc.csv"),
        "--sellers", str(tmp_path / "sellers.csv"), "--profile", "aliresearch-2014",
        "--out", str(tmp_path / "out.csv"), "--parents-out", str(tmp_path / "parents.parquet"),
        "--rejects", str(tmp_path / "rejects.csv"),
    ])
    out, err = capsys.readouterr()
    assert code == 0
    assert "read 101 rows, used 100" in out and "rejected amount_not_positive: 1" in out
    assert "done" in err  # progress on stderr
    loc = pd.read_csv(tmp_path / "out.csv")
    assert loc.qualifies.tolist() == [True] and loc.turnover_cny.tolist() == [10_000_000]
    assert pd.read_parquet(tmp_path / "parents.parquet").parent_code.tolist() == ["T"]
    assert pd.read_csv(tmp_path / "rejects.csv")[["line", "reason"]].values.tolist() == [[102, "amount_not_positive"]]


def test_detect_names_missing_columns_and_exits_2(tmp_path, capsys):
    _files(tmp_path)
    (tmp_path / "bad.csv").write_text("seller_id,amount\ns1,1\n")
    code = main_detect(["--sales", str(tmp_path / "bad.csv"), "--localities", str(tmp_path / "loc.csv"),
                        "--sellers", str(tmp_path / "sellers.csv"), "--out", str(tmp_path / "o.csv"), "--quiet"])
    assert code == 2
    assert "missing required column(s): date, currency" in capsys.readouterr().err


def test_inequality_json_and_table(tmp_path, capsys):
    pd.DataFrame({"sales": [1, 2, 3, 4], "sex": ["f", "f", "m", "m"], "w": [1, 1, 1, 1],
                  "marg": [4, 3, 2, 1]}).to_csv(tmp_path / "p.csv", index=False)
    code = main_inequality(["--input", str(tmp_path / "p.csv"), "--value", "sales", "--weight", "w",
                            "--group", "sex", "--rank-by", "marg", "--quiet"])
    assert code == 0
    r = json.loads(capsys.readouterr().out)
    assert {"n", "gini", "theil_t", "theil_l", "atkinson", "palma", "top10_share", "lorenz",
            "decomposition", "concentration_index"} <= set(r)
    assert r["gini"] == 0.25 and set(r["atkinson"]) == {"0.5", "1", "2"}
    assert r["concentration_index"] == -0.25
    code = main_inequality(["--input", str(tmp_path / "p.csv"), "--value", "sales", "--format", "table", "--quiet"])
    assert code == 0 and "gini" in capsys.readouterr().out
    assert main_inequality(["--input", str(tmp_path / "p.csv"), "--value", "nope", "--quiet"]) == 2


def _aldea(*args):
    """The console script as a user runs it: a new process that ends with os._exit."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "aldea", *args], capture_output=True, text=True, timeout=120, check=False)


def test_the_aldea_command_flushes_its_output_and_exit_code_before_its_fast_exit(tmp_path):
    _files(tmp_path)
    ok = _aldea("detect", "--sales", str(tmp_path / "sales.csv"), "--localities", str(tmp_path / "loc.csv"),
                "--sellers", str(tmp_path / "sellers.csv"), "--profile", "aliresearch-2014",
                "--out", str(tmp_path / "out.parquet"), "--quiet")
    assert ok.returncode == 0, ok.stderr
    assert "read 101 rows, used 100" in ok.stdout
    assert pd.read_parquet(tmp_path / "out.parquet").qualifies.tolist() == [True]
    bad = _aldea("detect", "--sales", str(tmp_path / "loc.csv"), "--localities", str(tmp_path / "loc.csv"),
                 "--out", str(tmp_path / "o.csv"), "--quiet")
    assert bad.returncode == 2 and "missing required column(s)" in bad.stderr
