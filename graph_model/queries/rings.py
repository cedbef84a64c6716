"""Trafficking rings: communities in a projection of persons and organisations linked by cases, shared
identifiers, money, family and directorships, co-travel at checkpoints and the victims they share; each
ring scored (victims, cases, agencies, money), members' likely roles inferred, rings ranked.

The projection's rows come from :mod:`graph_model.queries._ring_data` (Cypher aggregation inside Neo4j,
networkx in memory); one Python path weighs them (cases strong, hubs weak), runs Louvain (igraph's C
implementation, fixed seed, :mod:`._communities`) on the sorted edge list, then prunes and grows members
(:mod:`._ring_members`): both stores, the same rings. Entity features are read only for communities with
evidence and the actors tied to them (at 100,000 persons 20k of the projection's 94k nodes).

>>> from graph_model.queries._common import tiny_graph
>>> [r.members for r in detect_rings(tiny_graph(), min_members=2, require_evidence=False)]
[['per:a', 'per:b']]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

from graph_model._gc import cyclic_gc_paused
from graph_model.queries import _ring_data as data
from graph_model.queries._common import backend_of, graph_of, run
from graph_model.queries._communities import louvain
from graph_model.queries._ring_members import adjacency, grow, prune
from graph_model.queries._ring_roles import money_rows, role_index, roles_of

__all__ = ["ROLES", "Ring", "detect_rings", "projection"]

ROLES = ("official", "recruiter", "employer", "broker", "transporter", "money_collector", "leader", "accomplice")


@dataclass
class Ring:
    """One detected ring: members with inferred roles (``associate`` when no evidence), its victims,
    cases, agencies and money volume, and a score for ranking."""

    ring_id: str
    members: list[str]
    roles: dict[str, str]
    victims: list[str]
    cases: list[str]
    agencies: list[str]
    money_thb: float
    score: float
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


@dataclass
class _Data:
    cases: list[dict[str, Any]]
    identifiers: list[dict[str, Any]]
    travel: list[dict[str, Any]]
    victims: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    money: list[dict[str, Any]]
    phones: list[dict[str, Any]] = field(default_factory=list)
    chains: dict[str, str] = field(default_factory=dict)  # case id -> id of its REFERS_TO chain
    # chains whose named offences are all something else than trafficking (theft, drugs): not a ring's tie
    other_chains: set[str] = field(default_factory=set)


def _read(store_or_graph: Any, cap: int, threads: int = 3) -> _Data:
    """All rows of a detection; from Neo4j ``threads`` queries at a time, so that the server's cores work
    together and the client decodes one answer while the server computes the next. Each answer is held
    whole in the server's heap before it is sent (``_ring_data._table``): at a million persons the
    largest (money between holders) is about a million rows, so a server with a 1 GB heap wants
    ``threads=1``."""
    neo4j = backend_of(store_or_graph) == "neo4j"
    vs = data.victim_ids(store_or_graph) if neo4j else None
    reads: dict[str, Callable[[], Any]] = {
        "refers": lambda: data.refers_rows(store_or_graph), "offences": lambda: data.offence_rows(store_or_graph),
        "cases": lambda: data.case_rows(store_or_graph),
        "identifiers": lambda: data.identifier_rows(store_or_graph, cap, vs),
        "travel": lambda: data.travel_rows(store_or_graph, cap, vs), "victims": lambda: data.victim_rows(store_or_graph, vs),
        "pairs": lambda: data.pair_rows(store_or_graph, vs), "money": lambda: data.money_rows(store_or_graph),
        "phones": lambda: data.victim_phone_rows(store_or_graph, cap, vs)}
    if neo4j:
        # the slowest first (money, identifiers and pairs are 80% of the server's time at 100,000 persons)
        order = ["money", "identifiers", "pairs", "travel", "cases", "victims", "phones", "refers", "offences"]
        with ThreadPoolExecutor(max(1, threads)) as pool:
            futures = {k: pool.submit(reads[k]) for k in order}
            rows = {k: f.result() for k, f in futures.items()}
    else:
        rows = {k: fn() for k, fn in reads.items()}
    chains = nx.Graph()
    chains.add_edges_from(rows["refers"])
    chain_of = {c: min(comp) for comp in nx.connected_components(chains) for c in comp}
    tip: dict[str, bool] = {}
    for case, is_tip in rows["offences"]:
        key = chain_of.get(case, case)
        tip[key] = tip.get(key, False) or is_tip
    other = {key for key, is_tip in tip.items() if not is_tip}
    return _Data(rows["cases"], rows["identifiers"], rows["travel"], rows["victims"], rows["pairs"], rows["money"],
                 rows["phones"], chain_of, other)


# Weight of one shared context between two actors: a case chain in which both are named as actors is the
# strongest evidence of acting together; a director of a company is bound to it; identifiers and money count
# by how specific they are (a phone of two people, a large or repeated transfer); a victim or a crossing
# shared is weak on its own but adds up over many victims.
CASE_W, DIRECTOR_W, FAMILY_W, VICTIM_W, TRAVEL_W = 3.0, 1.5, 0.5, 0.5, 0.5
MONEY_HUB = 5  # money ties of a holder with more counterparties than this weigh proportionally less


def _identifier_w(ident: str, holders: int) -> float:
    """A phone, account or document of two actors weighs 2, of five 0.5: hubs weigh little; an address half
    as much (a household shares one)."""
    return (1.0 if ident.startswith("loc:") else 2.0) / (holders - 1)


def _money_w(amount: float, count: int) -> float:
    """Money between two holders: nothing up to 10,000 THB in all, 2 at 100,000, at most 3 for the amount, plus
    0.25 per repeated transfer (at most 1): one family's debt payment is not membership, layering is."""
    return min(3.0, max(0.0, 2.0 * (math.log10(1.0 + amount) - 4.0))) + 0.25 * min(4, max(0, count - 1))


def _contexts(d: _Data, cap: int) -> list[tuple[str, list[str], float]]:
    """Contexts (key, actors, pair weight); a case counts once per REFERS_TO chain (police → DSI → OAG → COJ →
    RLPD). Contexts with more than ``cap`` actors are left out (a hub says nothing about a ring)."""
    travellers: dict[str, set[str]] = defaultdict(set)
    for t in d.travel:
        for v in t["victims"]:
            travellers[v].update(t["actors"])
    for row in d.phones:
        travellers[row["victim"]].update(row["actors"])
    chains: dict[str, set[str]] = defaultdict(set)
    for c in d.cases:
        chains[d.chains.get(c["case"], c["case"])].update(c["actors"])
    out = [(f"case:{key}", sorted(a), CASE_W) for key, a in chains.items() if key not in d.other_chains]
    out += [(f"id:{i['id']}", i["actors"], _identifier_w(i["id"], len(i["actors"]))) for i in d.identifiers]
    out += [(f"travel:{t['key']}", t["actors"], TRAVEL_W) for t in d.travel]
    victims = {v["victim"]: v for v in d.victims}
    for v in sorted(set(victims) | set(travellers)):
        row = victims.get(v, {"recruiters": [], "employers": []})
        out.append((f"victim:{v}", sorted(set(row["recruiters"]) | set(row["employers"]) | travellers[v]), VICTIM_W))
    # a family tie is often kept both ways
    pairs = {(p["kind"], p["a"], p["b"]) if p["a"] < p["b"] else (p["kind"], p["b"], p["a"]) for p in d.pairs}
    out += [(f"{kind}:{a}|{b}", [a, b], DIRECTOR_W if kind == "DIRECTOR_OF" else FAMILY_W)
            for kind, a, b in sorted(pairs)]
    # a holder paying or paid by many (a government paying compensation, a payroll) is a money hub
    fan_out, fan_in = Counter(m["src"] for m in d.money), Counter(m["dst"] for m in d.money)
    out += [(f"money:{s}", [s, t] if s < t else [t, s] if t < s else [s], _money_w(float(m["amount"]), int(m["count"]))
             * min(1.0, MONEY_HUB / max(fan_out[s], fan_in[t]))) for m in d.money for s, t in ((m["src"], m["dst"]),)]
    return [(k, m, w) for k, m, w in out if 2 <= len(m) <= cap and w > 0]


def projection(store_or_graph: Any, cap: int = 30) -> list[tuple[str, str, float]]:
    """The weighted actor-actor edge list ``(a, b, weight)`` with ``a < b``, sorted: each shared context
    (case chain, identifier, co-travel, victim, family or directorship tie, money between holders) adds its
    weight (see ``CASE_W`` and the helpers above).

    >>> from graph_model.queries._common import tiny_graph
    >>> projection(tiny_graph())
    [('per:a', 'per:b', 3.397957)]
    """
    return sorted((a, b, w) for (a, b), w in _weights(_read(store_or_graph, cap), cap)[0].items())


def _is_kin(key: str) -> bool:
    """A household tie (family, a shared address): it groups people but is no evidence of membership."""
    return key.startswith(("FAMILY:", "id:loc:"))


def _weights(d: _Data, cap: int) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Pair weights over all contexts, and over all but household ties (the evidence of membership)."""
    weights: dict[tuple[str, str], float] = defaultdict(float)
    evidence: dict[tuple[str, str], float] = defaultdict(float)
    for key, members, w in _contexts(d, cap):
        kin = _is_kin(key)
        a, b = members[0], members[-1]  # a tie of two (most contexts): no set, sort and combinations
        pairs = [(a, b) if a < b else (b, a)] if len(members) == 2 and a != b else combinations(sorted(set(members)), 2)
        for pair in pairs:
            weights[pair] += w
            if not kin:
                evidence[pair] += w
    return {k: round(w, 6) for k, w in weights.items()}, {k: round(w, 6) for k, w in evidence.items()}


def _agencies(store_or_graph: Any, ids: list[str]) -> dict[str, list[str]]:
    if backend_of(store_or_graph) == "neo4j":
        rows = run(store_or_graph, "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id, "
                   "coalesce(n.agencies, []) AS agencies", ids=ids)
        return {r["id"]: list(r["agencies"]) for r in rows}
    g = graph_of(store_or_graph)
    return {n: list(g.nodes[n].get("agencies") or []) for n in ids if n in g}


def _merge_case_chains(d: _Data, communities: list[list[str]]) -> list[list[str]]:
    """Join communities whose members are actors of one case chain: co-suspects of one case are one ring,
    however modularity cut their other ties (Louvain splits small dense rings on small graphs)."""
    joined = nx.Graph()
    where = {n: i for i, c in enumerate(communities) for n in c}
    joined.add_nodes_from(range(len(communities)))
    chains: dict[str, set[int]] = defaultdict(set)
    for c in d.cases:
        chains[d.chains.get(c["case"], c["case"])].update(where[a] for a in c["actors"] if a in where)
    for key, ids in chains.items():
        if key in d.other_chains:
            continue
        first = min(ids, default=None)
        joined.add_edges_from((first, i) for i in ids if first is not None and i != first)
    return sorted((sorted(n for i in comp for n in communities[i]) for comp in nx.connected_components(joined)),
                  key=lambda c: c[0])


_EvidenceIndex = tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]]


def _evidence_index(d: _Data) -> _EvidenceIndex:
    """Actor → rows of ``d.cases``, recruiter or employer → rows of ``d.victims``, actor → rows of
    ``d.travel``: built once, so that the evidence of each community is looked up, not scanned for."""
    cases: dict[str, list[int]] = defaultdict(list)
    victims: dict[str, list[int]] = defaultdict(list)
    travel: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(d.cases):
        for a in set(c["actors"]):
            cases[a].append(i)
    for i, v in enumerate(d.victims):
        for a in set(v["recruiters"] + v["employers"]):
            victims[a].append(i)
    for i, t in enumerate(d.travel):
        for a in set(t["actors"]):
            travel[a].append(i)
    return cases, victims, travel


def _evidence(members: set[str], d: _Data, index: _EvidenceIndex | None = None) -> tuple[list[str], list[str]]:
    """The cases naming members as actors; the victims of those cases or recruited, employed, moved by members."""
    by_case, by_victim, by_travel = index or _evidence_index(d)
    case_rows = {i for m in members for i in by_case.get(m, ())}
    cases = sorted({d.cases[i]["case"] for i in case_rows})
    victims = {v for i in case_rows for v in d.cases[i]["victims"]}
    victims |= {d.victims[i]["victim"] for m in members for i in by_victim.get(m, ())}
    victims |= {v for i in {i for m in members for i in by_travel.get(m, ())} for v in d.travel[i]["victims"]}
    return cases, sorted(victims)


def detect_rings(
    store_or_graph: Any,
    resolution: float = 1.0,
    seed: int = 42,
    cap: int = 30,
    min_members: int = 2,
    require_evidence: bool = True,
    merge_cases: bool = True,
    min_tie: float = 1.6,
    threads: int = 3,
) -> list[Ring]:
    """Communities of the projection (Louvain, fixed seed) with at least ``min_members`` members, scored
    ``2·victims + 2·cases + agencies + log10(1 + money)`` and ranked by score (then first member id).
    With ``require_evidence`` a ring needs at least one case or victim; with ``merge_cases`` communities
    sharing a case chain's suspects are joined (Louvain cuts small rings apart). ``threads``: Neo4j reads
    run side by side (see ``_read``).

    >>> from graph_model.queries._common import tiny_graph
    >>> detect_rings(tiny_graph(), min_members=2)
    []
    """
    with cyclic_gc_paused():
        d = _read(store_or_graph, cap, threads)
        weights, evidence_w = _weights(d, cap)
        ordered = sorted(weights.items())  # one sort for Louvain and the neighbour maps: both want a fixed order
        parts = louvain(((a, b, w) for (a, b), w in ordered), resolution=resolution, seed=seed, presorted=True)
        merged = _merge_case_chains(d, parts) if merge_cases else parts
        index = _evidence_index(d)
        # pruning only removes members, and a subset has no evidence its community lacks: communities too
        # small or without evidence are dropped before, and only the rest (and actors tied to them) are read
        merged = [c for c in merged if len(c) >= min_members and (not require_evidence or any(_evidence(set(c), d, index)))]
        g, evidence = adjacency(ordered), adjacency(evidence_w.items())  # evidence ties are looked up, not summed over
        feats: dict[str, dict[str, Any]] = {}
        need: dict[str, float] = {}
        officials: set[str] = set()

        def prepare(ids: list[str]) -> None:
            """Features of entities not read yet; how much tie each needs (a company is held by its director,
            one tie suffices; a protecting official by one link to a member)."""
            new = [n for n in ids if n not in need]
            feats.update((f["id"], f) for f in data.feature_rows(store_or_graph, new))
            for n in new:
                f = feats.get(n, {})
                need[n] = min_tie * (0.15 if f.get("official") else 0.6 if f.get("type") == "Organization" else 1.0)
                if f.get("official"):
                    officials.add(n)

        prepare(sorted({n for c in merged for n in c}))
        kept = [set(c) for c in prune(merged, g, evidence, need, officials) if len(c) >= min_members]
        kept = [c for c in kept if not require_evidence or any(_evidence(c, d, index))]
        grow(kept, g, evidence, need, officials, prepare=prepare)
        communities = sorted((sorted(c) for c in kept), key=lambda c: c[0])
        ids = sorted({n for c in communities for n in c})
        agencies = _agencies(store_or_graph, ids)
        roles_index = role_index(d)
        rings = []
        for members_list in communities:
            members = set(members_list)
            cases, victims = _evidence(members, d, index)
            money = round(sum(float(d.money[i]["amount"]) for i in money_rows(members, roles_index, sent=True)), 2)
            ags = sorted({a for n in members for a in agencies.get(n, [])})
            roles, why = roles_of(members, d, feats, roles_index)
            score = round(2 * len(victims) + 2 * len(cases) + len(ags) + math.log10(1 + money), 3)
            rings.append(Ring("", members_list, roles, victims, cases, ags, money, score, why))
        rings.sort(key=lambda r: (-r.score, r.members[0]))
        for i, r in enumerate(rings, 1):
            r.ring_id = f"ring-{i:03d}"
    return rings
