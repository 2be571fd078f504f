"""Clusters of neighbouring digital villages.

Two ways, chosen by the profile:

- ``single-linkage`` (the AliResearch profiles): qualifying villages within
  ``cluster_distance_km`` of each other are linked, and groups of at least
  ``cluster_min_size`` are clusters, the reading of AliResearch's "10 or more contiguous
  Taobao villages" when no boundaries are given.
- ``getis-ord`` (``latam-relative``): the local Getis-Ord Gi* statistic of PySAL's esda
  (Getis and Ord 1992; Ord and Getis 1995) on each locality's shrunken shop quotient, over
  its ``k`` nearest neighbours, with a permutation p-value. A hot spot is a locality whose
  neighbourhood (itself included) holds significantly more shops than chance would place
  there; neighbouring qualifying hot spots form a cluster.

Coordinates come as latitude and longitude in degrees; distances are great-circle.
"""

from __future__ import annotations

import math
import warnings

__all__ = ["getis_ord_clusters", "single_linkage_clusters"]

EARTH_KM = 6371.0088


def single_linkage_clusters(rows: list[dict], distance_km: float, min_size: int) -> dict[str, int]:
    """Cluster ids (1 = largest) of ``rows`` (``locality_code``, ``_lat``, ``_lon``)."""
    import numpy as np

    n = len(rows)
    if n == 0:
        return {}
    lat = np.radians([r["_lat"] for r in rows])
    lon = np.radians([r["_lon"] for r in rows])
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        # Haversine distance from i to every later point, in km.
        dlat = lat[i + 1 :] - lat[i]
        dlon = lon[i + 1 :] - lon[i]
        a = np.sin(dlat / 2) ** 2 + math.cos(lat[i]) * np.cos(lat[i + 1 :]) * np.sin(dlon / 2) ** 2
        d = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        for k in np.nonzero(d <= distance_km)[0]:
            a_root, b_root = find(i), find(i + 1 + int(k))
            if a_root != b_root:
                parent[max(a_root, b_root)] = min(a_root, b_root)
    return _numbered(_groups(find, n), rows, min_size)


def _groups(find, n: int) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _numbered(groups: list[list[int]], rows: list[dict], min_size: int) -> dict[str, int]:
    out = {}
    big = sorted((g for g in groups if len(g) >= min_size), key=lambda g: (-len(g), g[0]))
    for cid, g in enumerate(big, start=1):
        for i in g:
            out[rows[i]["locality_code"]] = cid
    return out


def _unit_vectors(lat_deg, lon_deg):
    """Points on a sphere of the Earth's radius: chord distance orders as great-circle."""
    import numpy as np

    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return EARTH_KM * np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def getis_ord_clusters(rows: list[dict], *, neighbours: int, permutations: int, significance: float,
                       min_size: int, seed: int = 12345) -> dict[str, dict]:
    """Gi* hot spots and clusters.

    ``rows``: one dict per locality with coordinates: ``locality_code``, ``_lat``,
    ``_lon``, ``value`` (the shrunken quotient; localities without shops count with
    theirs) and ``qualifies``. Returns per code ``hotspot_z``, ``hotspot_p`` (pseudo
    p-value of ``permutations`` conditional permutations, seeded, so runs repeat exactly),
    ``is_hotspot`` and ``cluster_id`` (qualifying hot spots linked through the neighbour
    graph, in groups of at least ``min_size``; ``None`` otherwise).
    """
    rows = sorted(rows, key=lambda r: r["locality_code"])
    n = len(rows)
    if n <= neighbours:
        return {}
    import numpy as np

    try:
        from esda.getisord import G_Local
        from libpysal.weights import KNN
    except ImportError as exc:  # pragma: no cover - esda is a dependency
        raise RuntimeError("spatial clusters need PySAL's esda: pip install esda") from exc

    xyz = _unit_vectors([r["_lat"] for r in rows], [r["_lon"] for r in rows])
    values = np.array([float(r["value"]) for r in rows])
    with warnings.catch_warnings():
        # Islands (Fernando de Noronha) make a neighbour graph of several components: fine.
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        w = KNN.from_array(xyz, k=neighbours, silence_warnings=True)
        # esda announces a change of its default alternative; a hot spot here is read as
        # z > 0 with the one-sided ("directed") pseudo p-value, which is what it gives now.
        warnings.filterwarnings("ignore", message="The alternative hypothesis", category=DeprecationWarning)
        g = G_Local(values, w, transform="B", permutations=permutations, star=True,
                    n_jobs=1, seed=seed, keep_simulations=False)
    z = np.asarray(g.Zs, dtype=float)
    p = np.asarray(g.p_sim, dtype=float)
    hot = (z > 0) & (p <= significance)
    members = [i for i in range(n) if hot[i] and rows[i]["qualifies"]]
    member_set = set(members)
    parent = {i: i for i in members}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ids = w.id_order
    position = {key: i for i, key in enumerate(ids)}
    for i in members:
        for j_key in w.neighbors[ids[i]]:
            j = position[j_key]
            if j in member_set:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in members:
        groups.setdefault(find(i), []).append(i)
    clusters = _numbered(list(groups.values()), rows, min_size)
    return {
        rows[i]["locality_code"]: {
            "hotspot_z": float(z[i]),
            "hotspot_p": float(p[i]),
            "is_hotspot": bool(hot[i]),
            "cluster_id": clusters.get(rows[i]["locality_code"]),
        }
        for i in range(n)
    }
