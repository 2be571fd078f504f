"""Aldea's Gi* (aldea.analytics.spatial) against PySAL's esda, the reference it reimplements.

esda is a test-only dependency (it pulls in geopandas and scikit-learn); the platform computes
the statistic with NumPy and SciPy, and must give esda's z-scores and its seeded p-values.
"""

import warnings

import numpy as np
import pytest

from aldea.analytics import spatial

esda_getisord = pytest.importorskip("esda.getisord")
libpysal_weights = pytest.importorskip("libpysal.weights")


def esda_g_star(xyz, values, *, k, permutations, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal_weights.KNN.from_array(xyz, k=k, silence_warnings=True)
        g = esda_getisord.G_Local(values, w, transform="B", permutations=permutations, star=True,
                                  n_jobs=1, seed=seed, keep_simulations=False)
    return w, np.asarray(g.Zs, dtype=float), np.asarray(g.p_sim, dtype=float)


@pytest.mark.parametrize("seed", [12345, 7])
def test_gi_star_matches_esda_with_ties_and_duplicate_points(seed):
    rng = np.random.default_rng(seed)
    n = 160
    lat = rng.uniform(15, 20, n)
    lon = rng.uniform(-100, -95, n)
    lat[10:14] = lat[10]  # four localities at one point
    lon[10:14] = lon[10]
    # Many equal values (localities without shops share their shrunken quotient): ties.
    values = np.where(rng.random(n) < 0.5, 0.25, rng.gamma(2.0, 1.5, n))
    xyz = spatial._unit_vectors(lat, lon)
    w, z_ref, p_ref = esda_g_star(xyz, values, k=8, permutations=199, seed=seed)

    neighbours = spatial._knn(xyz, 8)
    z, p = spatial._local_g_star(values, neighbours, permutations=199, seed=seed)

    assert [set(map(int, row)) for row in neighbours] == [set(w.neighbors[i]) for i in range(n)]
    np.testing.assert_allclose(z, z_ref, rtol=1e-12)
    np.testing.assert_array_equal(p.astype(float), p_ref)


def test_hot_spots_are_those_esda_finds():
    rng = np.random.default_rng(3)
    rows = [{"locality_code": f"l{i:03d}", "_lat": 17 + rng.normal(0, 0.5), "_lon": -96 + rng.normal(0, 0.5),
             "value": float(v), "qualifies": True}
            for i, v in enumerate(rng.gamma(1.0, 1.0, 120) + np.r_[np.full(12, 6.0), np.zeros(108)])]
    out = spatial.getis_ord_clusters(rows, neighbours=6, permutations=99, significance=0.05, min_size=3)
    ordered = sorted(rows, key=lambda r: r["locality_code"])
    xyz = spatial._unit_vectors([r["_lat"] for r in ordered], [r["_lon"] for r in ordered])
    _w, z_ref, p_ref = esda_g_star(xyz, np.array([r["value"] for r in ordered]), k=6, permutations=99, seed=12345)
    assert [out[r["locality_code"]]["is_hotspot"] for r in ordered] == list((z_ref > 0) & (p_ref <= 0.05))
    assert any(v["cluster_id"] for v in out.values())
