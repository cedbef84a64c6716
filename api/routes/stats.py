"""Statistics in the shape of the annual report, trafficking routes and data quality."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel

from api.deps import Services, Store, Viewer, note
from api.policy import Lens

router = APIRouter(tags=["statistics"])


class Quality(BaseModel):
    """How fresh, complete and valid each agency's data is, and how many rows ingest refused."""

    agencies: list[dict[str, Any]]
    counts: dict[str, int]
    quarantined_rows: dict[str, int]


@router.get("/statistics", operation_id="statistics", response_model=dict[str, list[dict[str, Any]]])
def statistics(request: Request, store: Store, clearance: Viewer) -> dict[str, list[dict[str, Any]]]:
    """Yearly investigations, prosecutions, convictions; victims by nationality, sex, age band and
    exploitation; complicit officials; assets seized. Aggregates only, for every role."""
    from graph_model.queries.statistics import annual_report

    report = annual_report(store)
    if not clearance.finance:
        report.pop("assets_seized", None)
    note(request, result_size=sum(len(v) for v in report.values()))
    return report


@router.get("/routes", operation_id="routes", response_model=list[dict[str, Any]])
def routes(
    request: Request,
    store: Store,
    clearance: Viewer,
    level: Literal["country", "province"] = "country",
) -> list[dict[str, Any]]:
    """Trafficking routes origin → transit → destination with the number of victims on each."""
    from graph_model.queries.routes import route_summary

    rows = route_summary(store, level=level)
    note(request, result_size=len(rows))
    return rows


@router.get("/routes/victims", operation_id="victim_routes", response_model=list[dict[str, Any]])
def victim_routes(
    request: Request,
    services: Services,
    store: Store,
    clearance: Viewer,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[dict[str, Any]]:
    """One route per victim (victim-identifying: investigators and admins only)."""
    if not clearance.victims:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "per-victim routes are victim-identifying data")
    from graph_model.queries.routes import victim_routes as per_victim

    lens = Lens(clearance, store, records=services.records)
    rows = [r for r in per_victim(store) if lens.visible(r["entity_id"])][:limit]
    note(request, result_size=len(rows))
    return rows


@router.get("/quality", operation_id="quality", response_model=Quality)
def quality(request: Request, services: Services, store: Store, clearance: Viewer) -> Quality:
    """Per agency: newest record, persons known by name only, invalid documents, impossible dates, cases
    cited but missing, rows quarantined by ingest (per file in ``quarantined_rows``)."""
    from graph_model.queries.quality import agency_quality

    per_file: dict[str, int] = {}
    for path in sorted((services.settings.workspace / "quarantine").glob("*/*.csv")):
        with path.open(encoding="utf-8", errors="replace") as fh:
            per_file[path.name] = per_file.get(path.name, 0) + max(0, sum(1 for _ in fh) - 1)
    per_agency: dict[str, int] = {}
    for name, rows in per_file.items():
        agency = name.split("_", 1)[0].upper()
        per_agency[agency] = per_agency.get(agency, 0) + rows
    table = agency_quality(store, quarantine=per_agency)
    note(request, result_size=len(table))
    return Quality(agencies=table, counts=store.counts(), quarantined_rows=per_file)
