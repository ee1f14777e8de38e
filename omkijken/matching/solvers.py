"""The exact assignment on the candidate graph: maximum total score, each request at most once,
each offer at most ``capacity`` times. Two solvers, the faster one by size (``FLOW_FROM_EDGES``):

- small (Oss scale): scipy's ``min_weight_full_bipartite_matching`` (LAPJVsp). Each offer becomes
  ``min(capacity, degree)`` identical columns and each request gets a private "unmatched" column, so
  a full matching always exists; with weights ``2 - score`` on real edges and ``2`` on the private
  column, the minimum-weight full matching maximises the total score. Independent components of the
  candidate graph are solved separately.
- large (province scale): a minimum-cost flow (OR-Tools ``SimpleMinCostFlow``) from a source through
  the requests (capacity 1) and the candidate edges (cost ``-score``) to the offers (capacity
  ``capacity``) and a sink, with a free bypass from source to sink so serving fewer requests is
  allowed. Flows on bipartite graphs are integral, so the flow is an assignment. Costs must be
  integers: scores are scaled by the largest factor that keeps the solver's arithmetic inside 64 bits
  (about 1e13 at province scale), so ties aside the optimum is the float optimum to within 1e-9.
  At province scale LAPJVsp took 8 s of the 10 s budget on this 2-core machine, the flow about 3 s.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from .candidates import Candidates, _unique_inverse

# ---------------------------------------------------------------------------------------------
# exact assignment


def _solve_component(r_local: np.ndarray, o_local: np.ndarray, s: np.ndarray, caps: np.ndarray,
                     n_rows: int) -> np.ndarray:
    """Indices (into the component's edges) of a maximum-score b-matching."""
    n_off = len(caps)
    degree = np.bincount(o_local, minlength=n_off)
    copies = np.minimum(caps, degree)
    first_col = np.concatenate(([0], np.cumsum(copies)[:-1]))
    n_copy = int(copies.sum())
    rep = copies[o_local]
    edge_of = np.repeat(np.arange(len(s)), rep)
    within = np.arange(len(edge_of)) - np.repeat(np.cumsum(rep) - rep, rep)
    rows = np.concatenate((r_local[edge_of], np.arange(n_rows)))
    cols = np.concatenate((first_col[o_local[edge_of]] + within, n_copy + np.arange(n_rows)))
    weights = np.concatenate((2.0 - s[edge_of], np.full(n_rows, 2.0)))
    edge_ids = np.concatenate((edge_of, np.full(n_rows, -1)))
    matrix = csr_matrix((weights, (rows, cols)), shape=(n_rows, n_copy + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    # find which edge each chosen (row, col) is: look the pair up in a sorted key array
    keys = rows.astype(np.int64) * (n_copy + n_rows) + cols
    order = np.argsort(keys)
    chosen = row_ind.astype(np.int64) * (n_copy + n_rows) + col_ind
    pos = order[np.searchsorted(keys, chosen, sorter=order)]
    picked = edge_ids[pos]
    return picked[picked >= 0]


def _solve_by_lapjv(cands: Candidates) -> np.ndarray:
    ur, r_local = _unique_inverse(cands.r)
    uo, o_local = _unique_inverse(cands.o)
    n_r, n_o = len(ur), len(uo)
    graph = coo_matrix((np.ones(len(cands)), (r_local, n_r + o_local)), shape=(n_r + n_o, n_r + n_o))
    n_comp, label = connected_components(graph, directed=False)
    caps = cands.capacity[uo]
    if n_comp == 1:
        return _solve_component(r_local, o_local, cands.score, caps, n_r)
    edge_comp = label[r_local]
    order = np.argsort(edge_comp, kind="stable")
    bounds = np.searchsorted(edge_comp[order], np.arange(n_comp + 1))
    picked = []
    for c in range(n_comp):
        e = order[bounds[c]:bounds[c + 1]]
        if len(e) == 0:
            continue
        if len(e) == 1:  # a lone pair: take it
            picked.append(e)
            continue
        cr, cr_local = _unique_inverse(r_local[e])
        co, co_local = _unique_inverse(o_local[e])
        chosen = _solve_component(cr_local, co_local, cands.score[e], caps[co], len(cr))
        picked.append(e[chosen])
    return np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)


# OR-Tools' cost scaling multiplies costs by about the number of nodes; keep that inside int64.
_INT64_HEADROOM = 2**62


def _solve_by_flow(cands: Candidates) -> np.ndarray:
    n_edges = len(cands)
    ur, r_local = _unique_inverse(cands.r)
    uo, o_local = _unique_inverse(cands.o)
    n_r, n_o = len(ur), len(uo)
    source, sink = n_r + n_o, n_r + n_o + 1
    scale = float(_INT64_HEADROOM // ((n_r + n_o + 2) * 4))
    cost = -np.rint(cands.score * scale).astype(np.int64)
    capacity = np.minimum(cands.capacity[uo], np.bincount(o_local, minlength=n_o))
    tails = np.concatenate((np.full(n_r, source), r_local, n_r + np.arange(n_o), [source]))
    heads = np.concatenate((np.arange(n_r), n_r + o_local, np.full(n_o, sink), [sink]))
    caps = np.concatenate((np.ones(n_r + n_edges, dtype=np.int64), capacity, [n_r]))
    costs = np.concatenate((np.zeros(n_r, dtype=np.int64), cost, np.zeros(n_o + 1, dtype=np.int64)))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n_r + n_o + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_r, -n_r
    flow.set_nodes_supplies(np.arange(n_r + n_o + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return np.flatnonzero(flow.flows(arcs[n_r:n_r + n_edges]) > 0)


# Below this many candidate pairs scipy's LAPJVsp is faster (Oss scale: 0.2 s against 0.3 s);
# above it the flow wins by far (province scale: 3 s against 8 s).
FLOW_FROM_EDGES = 500_000


def solve(cands: Candidates) -> np.ndarray:
    """Indices into ``cands`` of the maximum-total-score assignment."""
    if len(cands) == 0:
        return np.zeros(0, dtype=np.int64)
    return _solve_by_flow(cands) if len(cands) >= FLOW_FROM_EDGES else _solve_by_lapjv(cands)
