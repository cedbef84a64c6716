"""The analysts' notebooks run top to bottom on a small embedded demo world (they never rot)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace (``$TIPGRAPH_HOME``, when it holds a graph), else a small world built once."""
    from api.pipeline import run_demo

    given = Path(os.environ.get("TIPGRAPH_HOME", "/nonexistent"))
    if (given / "graph" / "manifest.json").exists():
        return given
    home = tmp_path_factory.mktemp("notebook-demo")
    run_demo(home, persons=1000, seed=7)
    return home


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("TIPGRAPH_HOME", str(demo_home))
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) or "text/html" in o.get("data", {}) for o in outputs)


def test_there_are_three_notebooks() -> None:
    assert {p.stem for p in NOTEBOOKS} >= {"ring_discovery", "amlo_money_trail", "routes_and_statistics"}
    assert os.sep not in "".join(p.stem for p in NOTEBOOKS)
