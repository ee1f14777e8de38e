"""Collective clusters: open requests of one category that lie close together ("collectief, tenzij")."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from .candidates import _haversine_deg, _project, _stretch
from .model import Cluster, Request


def collective_clusters(requests: Iterable[Request], *, radius_m: float = 800, min_size: int = 3) -> list[Cluster]:
    """Per category, groups of requests linked by chains of neighbours within ``radius_m``.

    Single linkage (connected components of the "within radius_m" graph, as DBSCAN with
    min_samples=1); only groups of at least ``min_size`` requests are returned, largest first.
    A request with several categories can be in one cluster per category.
    """
    requests = list(requests)
    if not requests or min_size < 1:
        return []
    lat = np.array([x.lat for x in requests], dtype=float)
    lon = np.array([x.lon for x in requests], dtype=float)
    lat0 = float(lat.mean())
    stretch = _stretch(lat0, float(np.abs(lat).max()))
    xy = _project(lat, lon, lat0)
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, x in enumerate(requests):
        for c in x.categories:
            by_cat[c].append(i)
    clusters = []
    for c in sorted(by_cat):
        idx = np.asarray(by_cat[c], dtype=np.int64)
        if len(idx) < min_size:
            continue
        pairs = cKDTree(xy[idx]).query_pairs(r=radius_m * stretch, output_type="ndarray")
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            close = _haversine_deg(lat[idx[a]], lon[idx[a]], lat[idx[b]], lon[idx[b]]) <= radius_m
            a, b = a[close], b[close]
        else:
            a = b = np.zeros(0, dtype=np.int64)
        graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(idx), len(idx)))
        _, label = connected_components(graph, directed=False)
        sizes = np.bincount(label)
        for comp in np.flatnonzero(sizes >= min_size).tolist():
            members = idx[label == comp]
            clusters.append(Cluster(
                category=c,
                request_ids=tuple(requests[i].id for i in members.tolist()),
                lat=float(lat[members].mean()),
                lon=float(lon[members].mean()),
            ))
    clusters.sort(key=lambda cl: -cl.size)
    return clusters
