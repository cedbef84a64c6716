"""Search by name (Thai or Latin), ID, phone, account or case number, as the viewer may see.

Uses ``graph_model.queries.search.search``. Pseudonymised roles (analysts) search only what they see: on the
embedded store a scan of every node's visible form; on Neo4j the same search's hits of types whose values are
shown to them (cases, organisations, locations), plus a look-up of a pseudonym they were shown.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from api.policy import IDENTIFYING, PSEUDONYM_PREFIX, Clearance, pseudonym
from api.provenance import RecordLookup, same_value
from graph_model.store.base import GraphStore, Node, Subgraph

__all__ = ["normalise", "search_nodes"]

SEARCHED = ("names", "aliases", "name_keys", "case_no", "case_no_raw", "number", "account_no", "thai_id",
            "plate", "registration_no", "name", "address", "pseudonym", "title")


def normalise(text: str) -> str:
    """Casefolded, NFC, without spaces, dashes, dots or a leading +66/0 difference for digits.

    >>> normalise("081-234 5678") == normalise("+66812345678")
    True
    >>> normalise("สมชาย  ใจดี")
    'สมชายใจดี'
    """
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\s\-./()]", "", text)
    if re.fullmatch(r"\+?\d+", text):
        text = text.lstrip("+")
        if text.startswith("66"):
            text = "0" + text[2:]
    return text


def _values(node: Node) -> list[str]:
    out: list[str] = []
    for key in SEARCHED:
        value = node.props.get(key)
        if isinstance(value, list):
            out.extend(str(v) for v in value)
        elif value:
            out.append(str(value))
    return out


def _score(needle: str, node: Node) -> float:
    best = 0.0
    for value in _values(node):
        hay = normalise(value)
        if hay == needle:
            return 1.0
        if needle in hay:
            best = max(best, 0.5 + 0.4 * len(needle) / max(len(hay), 1))
    return best


def search_nodes(
    store: GraphStore, clearance: Clearance, query: str, types: set[str] | None = None, limit: int = 20,
    records: RecordLookup | None = None,
) -> list[tuple[Node, float]]:
    """Visible nodes matching ``query``, best first, scores 0-100.

    Pseudonymised roles search only what they see (pseudonyms, case numbers): a real name or ID number
    must not confirm that a person is in the graph. Without finance clearance, hits reached through a
    bank account (its holders) are left out. With the source ``records``, a hit on a name that only a
    hidden compartment recorded (a name known only to MSDHS) is left out too, and labels show only the
    names the viewer may see (see :func:`api.profile.attribute_values`).
    """
    try:
        from graph_model.queries import search as search_module
    except ImportError:  # pragma: no cover - the query package ships it
        search_module = None  # type: ignore[assignment]
    if search_module is None or (clearance.pseudonymise and getattr(store, "graph", None) is not None):
        return _scan(store, clearance, query, types, limit, records)
    found: list[tuple[Node, float]] = []
    if clearance.pseudonymise:
        found = _by_pseudonym(store, clearance, query, types, records)
        if found:  # a pseudonym names one entity: no need to search names and identifiers too
            return found[:limit]
    for hit in search_module.search(store, query, limit=limit * 3):
        if not clearance.finance and str(hit.matched).startswith("account:"):
            continue
        if clearance.pseudonymise and hit.type in IDENTIFYING:
            # The hit matched a name, ID or number the analyst is never shown: answering would confirm it.
            continue
        node = store.get_entity(hit.id)
        seen = clearance.node(node) if node is not None else None
        if node is not None and seen is not None and set(node.props.get("agencies") or ()) & clearance.hidden_agencies:
            seen = _without_hidden_values(node, clearance, records, str(hit.matched))
        if seen is not None and (types is None or seen.type in types):
            found.append((seen, float(hit.score)))
    return found[:limit]


def _without_hidden_values(
    node: Node, clearance: Clearance, records: RecordLookup | None, matched: str
) -> Node | None:
    """The node with values only hidden records hold removed; None when the match was on such a value."""
    from api.profile import attribute_values

    props, _ = attribute_values(node, clearance.hidden_agencies, records)
    shown = [v for key in ("names", "aliases", "name_keys", "name_th", "name_en") for v in props.get(key) or []]
    was = [v for key in ("names", "aliases", "name_keys", "name_th", "name_en") for v in node.props.get(key) or []]
    if any(same_value(matched, v) for v in was) and not any(same_value(matched, v) for v in shown):
        return None
    return clearance.node(Node(node.id, node.type, props))


def _scan(
    store: GraphStore, clearance: Clearance, query: str, types: set[str] | None, limit: int,
    records: RecordLookup | None = None,
) -> list[tuple[Node, float]]:
    """Match the visible form of every node of the embedded store (nothing on other stores).

    A node matched that has hidden sources is matched again without the values only hidden records hold
    (traced through ``records``), so such a value neither finds it nor labels it.
    """
    from api.profile import without_unseen_values

    needle = normalise(query)
    graph: Any = getattr(store, "graph", None)
    if not needle or graph is None:
        return []
    found: list[tuple[Node, float]] = []
    for node_id, attrs in graph.nodes(data=True):
        if types is not None and attrs.get("type") not in types:
            continue
        raw = Node(node_id, attrs.get("type", ""), {k: v for k, v in attrs.items() if k != "type"})
        seen = clearance.node(raw)
        if seen is None:
            continue
        score = _score(needle, seen)
        if score > 0 and set(raw.props.get("agencies") or ()) & clearance.hidden_agencies:
            # Matched on what the viewer may see only when still matched without the hidden-only values.
            seen = clearance.node(without_unseen_values(Subgraph([raw], []), clearance, records).nodes[0])
            if seen is None:
                continue
            score = _score(needle, seen)
        if score > 0:
            found.append((seen, round(100 * score, 1)))
    found.sort(key=lambda t: (-t[1], t[0].id))
    return found[:limit]


#: A pseudonym as shown: ``P-`` + hex (stored by the graph build) or a type prefix + hex (api.policy).
_PSEUDONYM = re.compile(r"(?:P-|" + "|".join(map(re.escape, PSEUDONYM_PREFIX.values())) + r")[0-9A-Fa-f]{6,}")


def _by_pseudonym(
    store: GraphStore, clearance: Clearance, query: str, types: set[str] | None, records: RecordLookup | None = None
) -> list[tuple[Node, float]]:
    """The node whose pseudonym, as this viewer sees it, is ``query`` (Neo4j; empty unless it looks like one).

    A pseudonym stored on the node (``pseudonym``, set by the graph build) is matched by property; a computed
    one (:func:`api.policy.pseudonym`, salted per workspace) by computing it for the nodes without a stored
    one, of the one type its prefix names.
    """
    text = unicodedata.normalize("NFC", query.strip())
    if not _PSEUDONYM.fullmatch(text):
        return []
    from graph_model.queries._common import run

    head, hex_part = text.rsplit("-", 1)
    wanted_text = f"{head}-{hex_part.upper()}"
    wanted_types = [t for t in IDENTIFYING if types is None or t in types]
    ids: list[str] = []
    if "Person" in wanted_types:  # the graph build stores pseudonyms on persons only
        ids = [r["id"] for r in run(store, "MATCH (n:Person) WHERE n.pseudonym = $p RETURN n.id AS id", p=wanted_text)]
    for node_type, prefix in PSEUDONYM_PREFIX.items():
        if not ids and node_type in wanted_types and wanted_text.startswith(prefix):
            # The label comes from the fixed PSEUDONYM_PREFIX table, never from the query.
            rows = run(store, f"MATCH (n:{node_type}) WHERE n.pseudonym IS NULL RETURN n.id AS id")
            ids = [r["id"] for r in rows if pseudonym(r["id"], clearance.salt, node_type) == wanted_text]
    from api.profile import without_unseen_values

    fetched = without_unseen_values(Subgraph(store.get_entities(ids), []), clearance, records)
    seen = (clearance.node(n) for n in fetched.nodes)
    return [(n, 100.0) for n in seen if n is not None and n.props.get("pseudonym") == wanted_text]
