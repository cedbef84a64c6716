"""Load a mapping file and validate it against the DSL, the value types and the graph schema.

Examples
--------
>>> m = load_mapping(MAPPINGS_DIR / "amlo_transactions.yaml")
>>> m.name, m.agency, m.format, [p.name for p in m.parts]
('amlo_transactions', 'AMLO', 'csv', ['from_account', 'to_account'])
>>> m.matches("amlo_transactions_2561.csv")
True
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph_model.model import Schema, load_schema
from ingest.mapping.spec import (
    LinkSpec,
    MappingError,
    PartSpec,
    ValueSpec,
    prop_specs,
    target_spec,
    value_spec,
)
from ingest.records import IDENTIFIER_TYPES, RESOLVED_TYPES

__all__ = ["ER_PROPS", "MAPPINGS_DIR", "Mapping", "load_mapping", "load_mappings"]

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "mappings"
#: Matching fields that Person and Organization records carry for entity resolution beside the schema's.
ER_PROPS = frozenset({
    "thai_id", "thai_id_valid", "passport", "pink_card", "id_numbers", "phones", "accounts", "location_key",
    "location_keys", "geocode", "province", "case_keys", "role", "roles", "birth_year_approx", "age",
    "address", "registration_no", "registration_valid", "position", "agency_unit", "org_kind",
    "ftm_id", "country",
})
_TOP_KEYS = {"name", "agency", "description", "file", "format", "encoding", "sheet", "delimiter", "required",
             "keys", "parts", "links", "record_date", "kind", "envelope"}


@dataclass(frozen=True)
class Mapping:
    """One export's mapping: how to find and read the file, its keys, parts and links."""

    name: str
    agency: str
    files: tuple[str, ...]
    format: str
    keys: tuple[str, ...]
    parts: tuple[PartSpec, ...]
    links: tuple[LinkSpec, ...] = ()
    required: tuple[str, ...] = ()
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str = ","
    record_date: ValueSpec | None = None
    description: str = ""
    kind: str = "file"
    path: Path | None = None
    envelope: dict[str, Any] = field(default_factory=dict)

    def matches(self, file_name: str) -> bool:
        """True when ``file_name`` fits one of the mapping's file patterns."""
        return any(fnmatch.fnmatch(file_name.lower(), pat.lower()) for pat in self.files)

    def part(self, name: str) -> PartSpec:
        """The part called ``name``."""
        for p in self.parts:
            if p.name == name:
                return p
        raise KeyError(name)


def _fail(path: Path, msg: str) -> MappingError:
    return MappingError(f"mapping {path.name}: {msg}")


def _check_props(path: Path, owner: str, allowed: set[str], props: dict[str, tuple[ValueSpec, ...]],
                 types: set[str]) -> None:
    for name, specs in props.items():
        if name not in allowed:
            raise _fail(path, f"{owner}: unknown property {name!r}; the schema declares {sorted(allowed)}")
        for s in specs:
            if s.type is not None and s.type not in types:
                raise _fail(path, f"{owner}.{name}: unknown value type {s.type!r}; known: {sorted(types)}")


def _parse_part(path: Path, name: str, body: Any) -> PartSpec:
    if not isinstance(body, dict) or "entity" not in body:
        raise _fail(path, f"part {name!r} needs an 'entity'")
    owner = f"part {name}"
    when = body.get("when")
    key = body.get("key")
    return PartSpec(
        name=name,
        entity=str(body["entity"]),
        props=prop_specs(owner, body.get("props")),
        key=value_spec(f"{owner}.key", key) if key is not None else None,
        each=body.get("each"),
        within=body.get("within"),
        when=value_spec(f"{owner}.when", when) if when is not None else None,
        entity_rules=tuple(body.get("entity_rules") or ()),
        props_by_entity={str(k): prop_specs(f"{owner}.{k}", v)
                         for k, v in (body.get("props_by_entity") or {}).items()},
    )


def _parse_link(path: Path, i: int, body: Any) -> LinkSpec:
    if not isinstance(body, dict) or "from" not in body or "rel" not in body:
        raise _fail(path, f"link #{i + 1} needs 'from' and 'rel'")
    owner = f"link #{i + 1} ({body['from']} -{body['rel']}->)"
    to = body.get("to")
    disc = body.get("discriminator")
    return LinkSpec(
        source=str(body["from"]),
        rel=str(body["rel"]),
        to=to if isinstance(to, str) else None,
        target=target_spec(owner, to) if isinstance(to, dict) else None,
        props=prop_specs(owner, body.get("props")),
        discriminator=value_spec(owner, disc) if disc is not None else None,
        reverse=bool(body.get("reverse", False)),
        when=value_spec(f"{owner}.when", body["when"]) if body.get("when") is not None else None,
        unless=value_spec(f"{owner}.unless", body["unless"]) if body.get("unless") is not None else None,
    )


def _validate(path: Path, m: Mapping, schema: Schema, types: set[str]) -> None:
    names = [p.name for p in m.parts]
    if len(set(names)) != len(names):
        raise _fail(path, f"duplicate part names in {names}")
    for p in m.parts:
        for rule in p.entity_rules:
            unless = rule.get("unless")
            if unless is not None and not (isinstance(unless, dict) and ("matches" in unless or "equals" in unless)):
                raise _fail(path, f"part {p.name}: an entity rule's 'unless' is a test like the rule's own "
                                  f"({{column, matches or equals}}), got {unless!r}")
        entities = {p.entity, *(str(r.get("entity")) for r in p.entity_rules)}
        for ent in entities:
            if ent not in schema.nodes:
                raise _fail(path, f"part {p.name}: unknown entity type {ent!r}; known: {sorted(schema.nodes)}")
            allowed = set(schema.nodes[ent].properties) | (ER_PROPS if ent in RESOLVED_TYPES else set())
            _check_props(path, f"part {p.name} ({ent})", allowed, p.props_by_entity.get(ent, {}), types)
        allowed_all: set[str] = set.intersection(*[
            set(schema.nodes[e].properties) | (ER_PROPS if e in RESOLVED_TYPES else set()) for e in entities])
        _check_props(path, f"part {p.name}", allowed_all, p.props, types)
        if p.entity in IDENTIFIER_TYPES and p.key is None:
            raise _fail(path, f"part {p.name}: {p.entity} is an identifier type and needs a 'key'")
        if p.within is not None and p.within not in names[: names.index(p.name)]:
            raise _fail(path, f"part {p.name}: 'within' must name an earlier part, got {p.within!r}")
        if p.within is not None and p.each is None:
            raise _fail(path, f"part {p.name}: 'within' needs 'each'")
    for ln in m.links:
        owner = f"link {ln.source} -{ln.rel}->"
        if ln.source not in names:
            raise _fail(path, f"{owner}: 'from' names no part; parts: {names}")
        if ln.rel not in schema.relationships:
            raise _fail(path, f"{owner}: unknown relationship type; known: {sorted(schema.relationships)}")
        rt = schema.relationships[ln.rel]
        src = m.part(ln.source)
        if ln.to is not None:
            if ln.to not in names:
                raise _fail(path, f"{owner}: 'to' names no part: {ln.to!r}; parts: {names}")
            dst_entities = {m.part(ln.to).entity, *(str(r.get("entity")) for r in m.part(ln.to).entity_rules)}
        elif ln.target is not None:
            dst_entities = {ln.target.entity}
            if ln.target.source.type is not None and ln.target.source.type not in types:
                raise _fail(path, f"{owner}: unknown value type {ln.target.source.type!r}")
            nt = schema.nodes.get(ln.target.entity)
            if nt is None:
                raise _fail(path, f"{owner}: unknown target entity {ln.target.entity!r}")
            bad = set(ln.target.props) - set(nt.properties)
            if bad:
                raise _fail(path, f"{owner}: target props {sorted(bad)} not declared on {nt.name}")
        else:
            raise _fail(path, f"{owner}: 'to' must be a part name or an identifier target")
        ends = ({*dst_entities}, {src.entity}) if ln.reverse else ({src.entity}, {*dst_entities})
        if not ends[0] & set(rt.sources) or not ends[1] & set(rt.targets):
            raise _fail(path, f"{owner}: {ln.rel} joins {list(rt.sources)} -> {list(rt.targets)}, "
                              f"not {sorted(ends[0])} -> {sorted(ends[1])}")
        _check_props(path, owner, set(rt.properties), ln.props, types)
        for pname, spec in rt.properties.items():
            if spec.required and pname not in ln.props:
                raise _fail(path, f"{owner}: required relationship property {pname!r} has no value spec")


def load_mapping(path: str | Path, schema: Schema | None = None,
                 types: set[str] | None = None) -> Mapping:
    """Read and validate one mapping file; raise :class:`MappingError` naming the file and the problem.

    With the default schema and types, a file read before and unchanged since (same size and
    modification time) is not read again.
    """
    path = Path(path)
    if schema is None and types is None:
        try:
            st = path.stat()
        except OSError as exc:
            raise _fail(path, f"cannot read: {exc}") from None
        return _cached(str(path.resolve()), st.st_mtime_ns, st.st_size)
    return _load(path, schema, types)


@lru_cache(maxsize=256)
def _cached(path: str, mtime_ns: int, size: int) -> Mapping:
    return _load(Path(path), None, None)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path, schema: Schema | None, types: set[str] | None) -> Mapping:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(path, f"cannot read: {exc}") from None
    if not isinstance(doc, dict):
        raise _fail(path, "expected a YAML mapping at the top")
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise _fail(path, f"unknown top-level keys {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}")
    for key in ("name", "agency", "file", "keys", "parts"):
        if key not in doc:
            raise _fail(path, f"missing {key!r}")
    if types is None:
        from ingest.mapping.values import type_names

        types = type_names()
    files = doc["file"] if isinstance(doc["file"], list) else [doc["file"]]
    fmt = doc.get("format") or Path(str(files[0])).suffix.lstrip(".").lower()
    parts = tuple(_parse_part(path, str(n), b) for n, b in (doc["parts"] or {}).items())
    m = Mapping(
        name=str(doc["name"]), agency=str(doc["agency"]), files=tuple(str(f) for f in files),
        format=str(fmt), keys=tuple(str(k) for k in doc["keys"]), parts=parts,
        links=tuple(_parse_link(path, i, b) for i, b in enumerate(doc.get("links") or [])),
        required=tuple(str(c) for c in doc.get("required") or ()),
        encoding=doc.get("encoding"), sheet=doc.get("sheet"), delimiter=str(doc.get("delimiter", ",")),
        record_date=value_spec("record_date", doc["record_date"]) if doc.get("record_date") else None,
        description=str(doc.get("description", "")), kind=str(doc.get("kind", "file")), path=path,
        envelope=dict(doc.get("envelope") or {}),
    )
    if m.format not in ("csv", "xlsx", "json", "jsonl"):
        raise _fail(path, f"unknown format {m.format!r}")
    _validate(path, m, schema or load_schema(), types)
    return m


def load_mappings(directory: str | Path | None = None, schema: Schema | None = None) -> dict[str, Mapping]:
    """Every ``*.yaml`` mapping of ``directory`` (default: ``ingest/mappings``) by name."""
    directory = Path(directory) if directory is not None else MAPPINGS_DIR
    out: dict[str, Mapping] = {}
    for p in sorted(directory.glob("*.yaml")):
        m = load_mapping(p, schema)
        out[m.name] = m
    return out
