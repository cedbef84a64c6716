"""The case-file report (HTML or PDF) for chosen entities or a saved investigation."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response, status

from api.deps import CurrentUser, Services, Store, Viewer, note
from api.profile import build_profile, without_unseen_values
from api.report import CaseFile, render_html, render_pdf

router = APIRouter(tags=["reports"])

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "The case file"}}


@router.get("/report", operation_id="case_file_report", response_class=Response, responses=FILE_RESPONSES)
def case_file_report(
    request: Request,
    user: CurrentUser,
    services: Services,
    store: Store,
    clearance: Viewer,
    ids: Annotated[list[str] | None, Query(max_length=200, description="Entity ids")] = None,
    investigation: Annotated[str | None, Query(max_length=64, description="A saved investigation id")] = None,
    title: Annotated[str, Query(max_length=200)] = "Case file",
    format: Literal["html", "pdf"] = "html",
) -> Response:
    """Every fact about the entities (of a saved investigation, or given by id) with its source."""
    wanted = list(ids or [])
    if investigation:
        inv = services.investigations.get(investigation, user.username)
        if inv is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no investigation {investigation!r} shared with you")
        wanted += inv.entities
        title = title if title != "Case file" else inv.name
    wanted = list(dict.fromkeys(wanted))[:200]
    if not wanted:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "give entity ids or an investigation")
    profiles = [p for i in wanted if (p := build_profile(store, clearance, i, records=services.records)) is not None]
    graph = clearance.subgraph(without_unseen_values(store.subgraph(wanted), clearance, services.records))
    cf = CaseFile(title=title, author=user.username, profiles=profiles, graph=graph)
    note(request, result_size=len(profiles))
    stem = "case-file"
    if format == "pdf":
        return Response(render_pdf(cf), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{stem}.pdf"'})
    return Response(render_html(cf), media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{stem}.html"'})
