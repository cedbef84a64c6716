"""The web app: ``/`` serves ``api/static/index.html``; scripts, styles and fonts come from the app itself.

vis-network is served from the copy bundled in the installed ``pyvis`` package and the Thai font from
the ``fontpkg-noto-sans-thai`` package (OFL-1.1), so nothing is fetched from a CDN.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["font_file", "mount_web", "vis_network_file"]


def _package_dir(name: str) -> Path | None:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def vis_network_file() -> Path | None:
    """The newest vis-network build bundled with pyvis."""
    root = _package_dir("pyvis")
    found = sorted(root.glob("lib/vis-*/vis-network.min.js")) if root else []
    return found[-1] if found else None


def font_file() -> Path | None:
    """Noto Sans Thai (variable TTF) from the fontpkg package."""
    root = _package_dir("fontpkg_noto_sans_thai")
    found = sorted(root.glob("files/*.ttf")) if root else []
    return found[0] if found else None


def mount_web(app: FastAPI, static_dir: Path) -> None:
    """Add the web app's routes (left out of the OpenAPI description)."""

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static_dir / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/static/vendor/vis-network.min.js", include_in_schema=False)
    def vis_network() -> FileResponse:
        path = vis_network_file()
        if path is None:
            raise HTTPException(404, "vis-network not installed (pip install pyvis)")
        return FileResponse(path, media_type="text/javascript")

    @app.get("/static/fonts/NotoSansThai.ttf", include_in_schema=False)
    def thai_font() -> FileResponse:
        path = font_file()
        if path is None:
            raise HTTPException(404, "Thai font not installed (pip install fontpkg-noto-sans-thai)")
        return FileResponse(path, media_type="font/ttf")

    app.mount("/static", StaticFiles(directory=static_dir), name="static")
