"""The merge rules of :mod:`graph_model.store.base`, in Python (used by the memory store and to fold
duplicate ids inside one batch before it is sent to Neo4j).

Examples
--------
>>> from graph_model.store.base import Provenance
>>> attrs = {}
>>> merge_into(attrs, {"names": ["A", "B"], "sex": "M"}, [Provenance("RTP", "r1", "2026-01-02")], {"names"})
>>> merge_into(attrs, {"names": ["B", "C"], "sex": None}, [Provenance("DSI", "d1", "2025-05-05")], {"names"})
>>> attrs["names"], attrs["sex"], attrs["agencies"], attrs["first_seen"], attrs["last_seen"]
(['A', 'B', 'C'], 'M', ['DSI', 'RTP'], '2025-05-05', '2026-01-02')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from graph_model.store.base import Provenance

__all__ = ["fresh_attrs", "merge_into", "union"]


def union(old: list[Any] | None, new: Iterable[Any]) -> list[Any]:
    """Ordered union: ``old`` first, then the distinct values of ``new`` not already there.

    >>> union(["a", "b"], ["b", "c", "c"])
    ['a', 'b', 'c']
    """
    if not old:
        return list(dict.fromkeys(new))
    seen = set(old)
    out = list(old)
    for value in new:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


def merge_into(
    attrs: dict[str, Any],
    props: dict[str, Any],
    sources: Sequence[Provenance],
    list_props: Collection[str],
    fresh: bool = False,
) -> None:
    """Merge ``props`` and ``sources`` into ``attrs`` in place (newest non-null scalar, list union,
    provenance union); ``sources``/``agencies`` are always present afterwards. ``fresh`` says that
    ``attrs`` was just created (a faster path, same result)."""
    if fresh and len(sources) == 1:
        for name, value in props.items():
            if value is not None:
                attrs[name] = list(dict.fromkeys(value)) if name in list_props else value
        src = sources[0]
        attrs["sources"] = [src.encode()]
        attrs["agencies"] = [src.agency]
        attrs["first_seen"] = attrs["last_seen"] = src.seen
        return
    for name, value in props.items():
        if value is None:
            continue
        if name in list_props:
            attrs[name] = union(attrs.get(name), value)
        else:
            attrs[name] = value
    old_sources = attrs.get("sources")
    if not sources:
        if old_sources is None:
            attrs["sources"] = []
            attrs["agencies"] = []
        return
    attrs["sources"] = union(old_sources, [s.encode() for s in sources])
    agencies = set(attrs.get("agencies") or ())
    agencies.update(s.agency for s in sources)
    attrs["agencies"] = sorted(agencies)
    seen = [s.seen for s in sources]
    lo, hi = min(seen), max(seen)
    first, last = attrs.get("first_seen"), attrs.get("last_seen")
    attrs["first_seen"] = lo if first is None or lo < first else first
    attrs["last_seen"] = hi if last is None or hi > last else last


def fresh_attrs(
    head: dict[str, Any], props: dict[str, Any], sources: Sequence[Provenance], list_props: Collection[str]
) -> dict[str, Any]:
    """The attributes of an element seen for the first time: ``head`` (copied), then what
    :func:`merge_into` would give on an empty dict, built in one go (the common case of a bulk load).

    >>> fresh_attrs({"type": "FAMILY"}, {"relation": "sibling", "note": None},
    ...             [Provenance("RTP", "r1", "2026-01-02")], ())
    {'type': 'FAMILY', 'relation': 'sibling', 'sources': ['RTP|r1|2026-01-02'], 'agencies': ['RTP'], \
'first_seen': '2026-01-02', 'last_seen': '2026-01-02'}
    """
    if len(sources) != 1:
        attrs = dict(head)
        merge_into(attrs, props, sources, list_props, fresh=True)
        return attrs
    if list_props:
        attrs = {
            **head,
            **{
                name: list(dict.fromkeys(value)) if name in list_props else value
                for name, value in props.items()
                if value is not None
            },
        }
    elif None in props.values():
        attrs = {**head, **{name: value for name, value in props.items() if value is not None}}
    else:
        attrs = {**head, **props}
    src = sources[0]
    seen = src.seen
    attrs["sources"] = [f"{src.agency}|{src.record_id}|{seen}"]  # Provenance.encode, inlined
    attrs["agencies"] = [src.agency]
    attrs["first_seen"] = attrs["last_seen"] = seen
    return attrs
