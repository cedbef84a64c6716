"""Members' likely roles in a ring (recruiter, transporter, broker, employer, money collector, leader,
official), inferred from what the ring rows say about each member; :class:`RoleIndex` is built once for
all rings, so that each ring looks up its members' rows instead of scanning all of them (at 100,000
persons the scans took 17 of ring detection's 33 client CPU seconds: 316 rings x 94k money rows).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph_model.queries.rings import _Data

__all__ = ["EMPLOYER_KINDS", "MOVED_THB", "RoleIndex", "money_rows", "role_index", "roles_of"]

EMPLOYER_KINDS = ("fishing_vessel", "factory", "karaoke_bar")
MOVED_THB = 50_000.0  # money received from and passed on to members that makes a member a mule


@dataclass
class RoleIndex:
    """What role inference and scoring look up per ring, built once for all rings: victims recruited and
    employed and victims crossed with per actor (whole graph), and the rows of ``d.money`` by holder."""

    recruited: dict[str, int]
    employed: dict[str, int]
    cotravel: dict[str, int]
    money_to: dict[str, list[int]]
    money_from: dict[str, list[int]]


def role_index(d: _Data) -> RoleIndex:
    """The look-ups of :func:`roles_of` and of ring money totals, over all rows."""
    recruited: dict[str, int] = defaultdict(int)
    employed: dict[str, int] = defaultdict(int)
    for v in d.victims:
        for r in v["recruiters"]:
            recruited[r] += 1
        for e in v["employers"]:
            employed[e] += 1
    cotravel: dict[str, int] = defaultdict(int)
    for t in d.travel:
        for a in t["actors"]:
            cotravel[a] += len(t["victims"])
    money_to: dict[str, list[int]] = defaultdict(list)
    money_from: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(d.money):
        money_to[m["dst"]].append(i)
        money_from[m["src"]].append(i)
    return RoleIndex(recruited, employed, cotravel, money_to, money_from)


def money_rows(members: set[str], index: RoleIndex, sent: bool = False) -> list[int]:
    """Rows of ``d.money`` received by members (and with ``sent`` also those sent by members), in row
    order: sums add up in the same order as a scan of all rows would."""
    rows = {i for n in members for i in index.money_to.get(n, ())}
    if sent:
        rows.update(i for n in members for i in index.money_from.get(n, ()))
    return sorted(rows)


def roles_of(members: set[str], d: _Data, feats: dict[str, dict[str, Any]],
             index: RoleIndex) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each member's likely role and the evidence for it (``associate`` when there is none): official,
    recruiter, employer, broker, transporter; the leader directs a member company or receives most from
    members; then money collectors (mules), employers and accomplices among suspects."""
    evidence: dict[str, list[str]] = defaultdict(list)
    recruited, employed, cotravel = index.recruited, index.employed, index.cotravel
    net: dict[str, float] = defaultdict(float)
    moved_in: dict[str, float] = defaultdict(float)  # money received from / sent to other members
    moved_out: dict[str, float] = defaultdict(float)
    senders: dict[str, set[str]] = defaultdict(set)
    for i in money_rows(members, index):
        m = d.money[i]
        senders[m["dst"]].add(m["src"])
        if m["src"] in members:
            net[m["dst"]] += float(m["amount"])
            net[m["src"]] -= float(m["amount"])
            moved_in[m["dst"]] += float(m["amount"])
            moved_out[m["src"]] += float(m["amount"])
    roles: dict[str, str] = {}
    for n in sorted(members):
        f = feats.get(n, {})
        if f.get("official"):
            roles[n] = "official"
        elif recruited[n]:
            roles[n], evidence[n] = "recruiter", [f"named as recruiter by {recruited[n]} victims"]
        elif employed[n] >= 2 or f.get("org_kind") in EMPLOYER_KINDS:
            roles[n], evidence[n] = "employer", [f"employer of {employed[n]} victims", f"org_kind {f.get('org_kind')}"]
        elif f.get("type") == "Organization" and (f.get("suspect") or f.get("org_kind") == "recruitment_agency"):
            roles[n] = "broker"
        elif f.get("crossings", 0) >= 3 or (cotravel[n] >= 2 and f.get("crossings", 0) >= 2):
            roles[n], evidence[n] = "transporter", [f"crossed with {cotravel[n]} victims", f"{f.get('crossings')} crossings"]
    # The leader directs a member company; else where the ring's money ends (largest net inflow from members).
    directors = sorted(n for n in members if n not in roles and set(feats.get(n, {}).get("directs") or ()) & members)
    free = [n for n in sorted(members) if n not in roles and net[n] > 0 and feats.get(n, {}).get("type") == "Person"]
    if directors:
        roles[directors[0]], evidence[directors[0]] = "leader", ["directs a member organisation"]
    elif free:
        leader = min(free, key=lambda n: (-net[n], n))
        roles[leader], evidence[leader] = "leader", [f"net {net[leader]:.2f} THB received from members"]
    for n in sorted(members):
        f = feats.get(n, {})
        if n in roles:
            continue
        mule = min(moved_in[n], moved_out[n]) >= MOVED_THB  # passes the ring's money on
        if len(senders[n]) >= 3 or (f.get("suspect") and f.get("accounts")) or mule:
            roles[n], evidence[n] = "money_collector", [f"received from {len(senders[n])} holders",
                                                        f"passed on {moved_out[n]:.2f} THB to members"]
        elif f.get("suspect") and employed[n]:
            roles[n] = "employer"
        elif f.get("suspect"):
            roles[n] = "accomplice"
    for n in members:
        roles.setdefault(n, "associate")
    return dict(sorted(roles.items())), dict(sorted(evidence.items()))
