"""Clusters of neighbouring digital villages.

Two ways, chosen by the profile:

- ``single-linkage`` (the AliResearch profiles): qualifying villages within
  ``cluster_distance_km`` of each other are linked, and groups of at least
  ``cluster_min_size`` are clusters, the reading of AliResearch's "10 or more contiguous
  Taobao villages" when no boundaries are given.
- ``getis-ord`` (``latam-relative``): the local Getis-Ord Gi* statistic (Getis and Ord 1992;
  Ord and Getis 1995) on each locality's shrunken shop quotient, over its ``k`` nearest
  neighbours, with a conditional-permutation p-value. It is computed here with NumPy and
  SciPy as PySAL's esda ``G_Local(star=True, transform="B")`` computes it (same seeded
  permutations, so the same p-values; tests/analytics check it against esda, a test-only
  dependency: esda pulls in geopandas and scikit-learn, 200 MB the platform does not need). A hot spot is a locality whose
  neighbourhood (itself included) holds significantly more shops than chance would place
  there; neighbouring qualifying hot spots form a cluster.

Coordinates come as latitude and longitude in degrees; distances are great-circle.
"""

from __future__ import annotations

import math

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

    xyz = _unit_vectors([r["_lat"] for r in rows], [r["_lon"] for r in rows])
    values = np.array([float(r["value"]) for r in rows])
    neighbour_lists = _knn(xyz, neighbours)
    z, p = _local_g_star(values, neighbour_lists, permutations=permutations, seed=seed)
    p = np.asarray(p, dtype=float)  # esda's float32, compared as a float64 as before
    hot = (z > 0) & (p <= significance)
    members = [i for i in range(n) if hot[i] and rows[i]["qualifies"]]
    member_set = set(members)
    parent = {i: i for i in members}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in members:
        for j in neighbour_lists[i]:
            j = int(j)
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


def _knn(xyz, k: int):
    """The ``k`` nearest other points of each point (n × k indices), as libpysal's
    ``KNN.from_array``: ask for k + 1, drop the point itself, or the farthest when duplicates
    crowd it out."""
    import numpy as np
    from scipy.spatial import KDTree

    n = len(xyz)
    _distances, indices = KDTree(xyz).query(xyz, k=k + 1)
    not_self = indices != np.arange(n).reshape(-1, 1)
    not_self[not_self.sum(axis=1) == k + 1, -1] = False
    return indices[not_self].reshape(n, -1)


def _local_g_star(y, neighbour_lists, *, permutations: int, seed: int):
    """Gi* z-scores and one-sided pseudo p-values, binary weights with the self-weight 1.

    z: (G*_i - E[G*_i]) / sqrt(Var[G*_i]) with G*_i = (y_i + sum of the neighbours' y) / sum(y)
    (Getis and Ord 1992, eq. 9-11). p: conditional permutations (Anselin 1995): y_i stays, its
    neighbours are drawn from the other n - 1 values, ``permutations`` times; the draws are
    esda's (NumPy's legacy generator seeded once, one draw of k of n - 1 per permutation, shared
    by every locality), and the count is of the tail the observed value lies in ("directed"),
    as a float32 as esda returns it.
    """
    import numpy as np
    import scipy.sparse as sp

    y = np.asarray(y, dtype=float)
    n = len(y)
    k = neighbour_lists.shape[1]
    total = y.sum()
    # Sums in esda's order (a sparse product over sorted columns, a dense one for the draws), so
    # ties between equal neighbourhoods fall the same way to the last bit.
    rows = np.repeat(np.arange(n), k + 1)
    cols = np.column_stack([np.arange(n), neighbour_lists]).ravel()
    weights = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    weights.sort_indices()
    g = (weights @ y) / total
    mean = total / n
    variance = (y**2).sum() / n - mean**2
    cardinality = k + 1
    expected = cardinality / n
    expected_variance = cardinality * (n - cardinality) / (n - 1) / n**2 * variance / mean**2
    z = (g - expected) / np.sqrt(expected_variance)
    if not permutations:
        return z, np.full(n, np.nan)
    np.random.seed(seed)  # esda's crand.vec_permutations, without numba
    draws = np.empty((permutations, k), dtype=np.int64)
    for r in range(permutations):
        draws[r] = np.random.choice(n - 1, size=k, replace=False)
    p = np.zeros(n, dtype=np.float32)
    everyone = np.arange(n)
    ones = np.ones(k)
    for i in range(n):
        others = y[everyone != i]
        simulated = (others[draws] @ ones + 1.0 * y[i]) / total
        larger = int((simulated >= g[i]).sum())
        larger = min(larger, permutations - larger)
        p[i] = (larger + 1.0) / (permutations + 1.0)
    return z, p
