"""Entity resolution: source records of all agencies → persons, organisations and identifier entities.

Blocking from readable rules, vectorised comparators in Thai and Latin script, Fellegi–Sunter weights by EM,
clustering with cannot-links, per-pair explanations, human judgements that survive re-runs, incremental
resolution and the resolution export for outside grading.
"""

from entity_resolution.blocking import block_on, blocking_recall, candidate_pairs
from entity_resolution.commands import explain, judge, load_resolution, resolve_workspace
from entity_resolution.export import export_resolution
from entity_resolution.model import Settings
from entity_resolution.resolution import add_records, resolve
from entity_resolution.result import Resolution

__all__ = ["Resolution", "Settings", "add_records", "block_on", "blocking_recall", "candidate_pairs", "explain",
           "export_resolution", "judge", "load_resolution", "resolve", "resolve_workspace"]
