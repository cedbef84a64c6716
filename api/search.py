"""Search by name (Thai or Latin), ID, phone, account or case number, as the viewer may see.

Uses ``graph_model.queries.search.search``; pseudonymised roles get a scan of what they may see on the
embedded store (nothing on Neo4j).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from api.policy import Clearance
from graph_model.store.base import GraphStore, Node

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
    store: GraphStore, clearance: Clearance, query: str, types: set[str] | None = None, limit: int = 20
) -> list[tuple[Node, float]]:
    """Visible nodes matching ``query``, best first, scores 0-100.

    Pseudonymised roles search only what they see (pseudonyms, case numbers): a real name or ID number
    must not confirm that a person is in the graph. Without finance clearance, hits reached through a
    bank account (its holders) are left out.
    """
    try:
        from graph_model.queries import search as search_module
    except ImportError:  # pragma: no cover - the query package ships it
        search_module = None  # type: ignore[assignment]
    if search_module is None or clearance.pseudonymise:
        return _scan(store, clearance, query, types, limit)
    found: list[tuple[Node, float]] = []
    for hit in search_module.search(store, query, limit=limit * 3):
        if not clearance.finance and str(hit.matched).startswith("account:"):
            continue
        node = store.get_entity(hit.id)
        seen = clearance.node(node) if node is not None else None
        if seen is not None and (types is None or seen.type in types):
            found.append((seen, float(hit.score)))
    return found[:limit]


def _scan(
    store: GraphStore, clearance: Clearance, query: str, types: set[str] | None, limit: int
) -> list[tuple[Node, float]]:
    """Match the visible form of every node of the embedded store (nothing on other stores)."""
    needle = normalise(query)
    graph: Any = getattr(store, "graph", None)
    if not needle or graph is None:
        return []
    found: list[tuple[Node, float]] = []
    for node_id, attrs in graph.nodes(data=True):
        if types is not None and attrs.get("type") not in types:
            continue
        props = {k: v for k, v in attrs.items() if k != "type"}
        seen = clearance.node(Node(node_id, attrs.get("type", ""), props))
        if seen is None:
            continue
        score = _score(needle, seen)
        if score > 0:
            found.append((seen, round(100 * score, 1)))
    found.sort(key=lambda t: (-t[1], t[0].id))
    return found[:limit]
