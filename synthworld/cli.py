"""Plain functions behind ``tipgraph synth`` and ``tipgraph score`` (and ``python -m synthworld``)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from synthworld.settings import NoiseSettings, SynthSettings, noise_from_arg

__all__ = ["score", "synth"]


def synth(seed: int, persons: int, out: str | Path, noise: str | NoiseSettings | None = None,
          timings: dict[str, float] | None = None) -> dict[str, int]:
    """Generate a world of ``persons`` people and write it under ``out``; returns rows per file.

    Parameters
    ----------
    seed
        Random seed; the same seed and size give byte-identical files.
    persons
        Number of persons (about 90% Thai citizens, 10% migrants), 1,000 to 1,000,000.
    out
        Output directory (``exports/`` and ``truth/`` are created in it).
    noise
        A level (``none``, ``low``, ``default``, ``high``), a JSON object of :class:`NoiseSettings` fields,
        or settings.
    timings
        When given, filled with seconds per stage.
    """
    from synthworld.export import write_world
    from synthworld.generate import build_world

    settings = SynthSettings(seed=int(seed), persons=int(persons), noise=noise_from_arg(noise))
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    world = build_world(settings, timings)
    timings["generate"] = time.perf_counter() - t0
    rows = write_world(world, Path(out), timings)
    timings["total"] = time.perf_counter() - t0
    return rows


def score(truth: str | Path, resolution: str | Path | None = None, detections: str | Path | None = None,
          top_k: int = 50, print_report: bool = True) -> dict[str, object]:
    """Grade a resolution export and/or detections against a world's truth; print a report.

    ``truth`` is the world directory or its ``truth/``. Returns the metrics as a JSON-ready dict.
    """
    from synthworld.score import format_report, score_all

    if resolution is None and detections is None:
        raise ValueError("give a resolution export, detections, or both")
    result = score_all(Path(truth), Path(resolution) if resolution else None,
                       Path(detections) if detections else None, top_k=top_k)
    if print_report:
        print(format_report(result))
    return json.loads(json.dumps(result))
