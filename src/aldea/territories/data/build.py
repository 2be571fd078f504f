"""Regenerate mexico_municipalities_2020.csv.gz and brazil_municipalities_2022.csv.gz.

Usage (from the repository root)::

    python src/aldea/territories/data/build.py [--source ../shared/data]

Brazil (``build_brazil``): IBGE's preliminary Census 2022 population of the 5,570
municipalities (``brazil_pop2022_previa_municipios.csv``), state names from
``brazil_estados_kelvins.csv`` and the seat coordinates of each municipality from
``brazil_municipios_kelvins.csv`` (see ATTRIBUTION.txt).

Inputs (see ../shared/data/SOURCES.md):

* ``mexico_municipios_inegi_censo2020.csv``: INEGI catalogue of municipalities with Censo 2020
  population and inhabited dwellings (2,478 rows: 2,469 municipalities of 2020 plus 9 created
  later, which have no census figures).
* ``mexico_imm_2020_conapo.csv``: CONAPO Índice de Marginación 2020 for the 2,469 municipalities
  (UTF-8 with BOM, CRLF line ends).

The output keeps the 2,469 municipalities that existed at the 2020 census (see ATTRIBUTION.txt for
why the 9 later ones are left out), one row each, sorted by code. Numbers are copied as written in
the sources, so a rebuild is byte-identical (the gzip header carries no timestamp or file name).
The script needs only the standard library and runs without Django.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "mexico_municipalities_2020.csv.gz"
DEFAULT_SOURCE = HERE.parents[3].parent / "shared" / "data"  # <repo>/../shared/data

INEGI_FILE = "mexico_municipios_inegi_censo2020.csv"
CONAPO_FILE = "mexico_imm_2020_conapo.csv"

COLUMNS = [
    "state_code",
    "state_name",
    "state_abbreviation",
    "municipality_code",
    "municipality_name",
    "population",
    "households",
    "marginalisation_index",
    "marginalisation_degree",
]

# CONAPO's GM_2020 labels to MarginalisationDegree values (aldea.territories.models).
DEGREES = {
    "Muy bajo": "muy_bajo",
    "Bajo": "bajo",
    "Medio": "medio",
    "Alto": "alto",
    "Muy alto": "muy_alto",
}


def read_rows(source: Path) -> list[dict[str, str]]:
    with open(source / CONAPO_FILE, encoding="utf-8-sig", newline="") as handle:
        conapo = {row["CVE_MUN"]: row for row in csv.DictReader(handle)}
    rows = []
    with open(source / INEGI_FILE, encoding="utf-8", newline="") as handle:
        for inegi in csv.DictReader(handle):
            code = inegi["cve_completa"]
            index = conapo.get(code)
            if index is None:
                # Created after the 2020 census: no population, dwellings or CONAPO index.
                continue
            if int(index["POB_TOT"]) != int(inegi["poblacion_total"]):
                raise ValueError(f"{code}: INEGI and CONAPO population differ")
            rows.append(
                {
                    "state_code": inegi["cve_entidad"],
                    "state_name": inegi["nom_entidad"],
                    "state_abbreviation": inegi["nom_abr_entidad"],
                    "municipality_code": code,
                    # INEGI's catalogue name (current official name); CONAPO abbreviates some.
                    "municipality_name": inegi["nom_municipio"],
                    "population": inegi["poblacion_total"],
                    "households": inegi["viviendas_habitadas"],
                    "marginalisation_index": index["IM_2020"],
                    "marginalisation_degree": DEGREES[index["GM_2020"]],
                }
            )
    if len(rows) != len(conapo):
        missing = sorted(set(conapo) - {row["municipality_code"] for row in rows})
        raise ValueError(f"CONAPO municipalities missing from the INEGI catalogue: {missing}")
    rows.sort(key=lambda row: row["municipality_code"])
    return rows


def build(source: Path, output: Path = OUTPUT) -> int:
    rows = read_rows(source)
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with open(output, "wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9
    ) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return len(rows)


BRAZIL_OUTPUT = HERE / "brazil_municipalities_2022.csv.gz"
BRAZIL_POPULATION_FILE = "brazil_pop2022_previa_municipios.csv"
BRAZIL_STATES_FILE = "brazil_estados_kelvins.csv"
BRAZIL_SEATS_FILE = "brazil_municipios_kelvins.csv"
BRAZIL_COLUMNS = ["state_code", "state_name", "state_abbreviation", "municipality_code",
                  "municipality_name", "population", "latitude", "longitude"]


def read_brazil_rows(source: Path) -> list[dict[str, str]]:
    with open(source / BRAZIL_STATES_FILE, encoding="utf-8-sig", newline="") as handle:
        states = {row["codigo_uf"]: row for row in csv.DictReader(handle)}
    with open(source / BRAZIL_SEATS_FILE, encoding="utf-8", newline="") as handle:
        seats = {row["codigo_ibge"]: row for row in csv.DictReader(handle)}
    rows = []
    with open(source / BRAZIL_POPULATION_FILE, encoding="utf-8", newline="") as handle:
        for pop in csv.DictReader(handle):
            code = pop["cod_ibge7"]
            state = states[pop["cod_uf"]]
            if state["uf"] != pop["uf"]:
                raise ValueError(f"{code}: state {pop['uf']} is not {state['uf']}")
            seat = seats.get(code)
            if seat is None:
                raise ValueError(f"{code}: no seat coordinates")
            rows.append({
                "state_code": pop["cod_uf"], "state_name": state["nome"], "state_abbreviation": state["uf"],
                "municipality_code": code, "municipality_name": pop["nome_municipio"],
                "population": pop["populacao_2022_previa"],
                "latitude": seat["latitude"], "longitude": seat["longitude"],
            })
    rows.sort(key=lambda row: row["municipality_code"])
    return rows


def _write_gzip_csv(rows, columns, output: Path) -> int:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with open(output, "wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9
    ) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return len(rows)


def build_brazil(source: Path, output: Path = BRAZIL_OUTPUT) -> int:
    return _write_gzip_csv(read_brazil_rows(source), BRAZIL_COLUMNS, output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder with the source CSVs")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--brazil-output", type=Path, default=BRAZIL_OUTPUT)
    args = parser.parse_args(argv)
    count = build(args.source, args.output)
    print(f"wrote {count} municipalities to {args.output}", file=sys.stderr)
    count = build_brazil(args.source, args.brazil_output)
    print(f"wrote {count} municipalities to {args.brazil_output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
