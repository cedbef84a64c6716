"""Laying out one export: duplicate rows, DGA share, row numbers, file writing, truth records and noise log."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synthworld.noise import Noise

__all__ = ["ENTITY_TYPES", "Output", "Table", "canonical", "sign", "write_csv", "write_frames"]

ENTITY_TYPES = {"P": "Person", "O": "Organization", "A": "Account", "C": "Case"}
_XLSX_TIME = dt.datetime(2025, 12, 31, 0, 0, 0)


def canonical(payload: dict[str, Any]) -> bytes:
    """The signed bytes of a DGA payload: canonical JSON as agency-exports.md §10 says."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(payload: dict[str, Any], key: str) -> str:
    """Hex HMAC-SHA256 of the canonical payload; the key is the UTF-8 bytes of the string in keys.json.

    Examples
    --------
    >>> len(sign({"a": "ข"}, "k"))
    64
    """
    return hmac.new(key.encode(), canonical(payload), hashlib.sha256).hexdigest()


@dataclass
class Table:
    """One export before layout: visible columns (or JSON objects) and, per part, the true entity of each row."""

    agency: str
    file: str
    noise: Noise
    columns: dict[str, list[Any]] = field(default_factory=dict)
    parts: dict[str, list[str]] = field(default_factory=dict)
    objects: list[dict[str, Any]] | None = None
    duplicates: bool = True
    dga: bool = False
    encoding: str = "utf-8"
    sheet: str = ""

    def __len__(self) -> int:
        if self.objects is not None:
            return len(self.objects)
        return len(next(iter(self.columns.values()))) if self.columns else 0


class Output:
    """Writes exports under ``<out>/exports/<agency>/`` and collects truth under ``<out>/truth/``."""

    def __init__(self, out: Path, seed: int, rng: np.random.Generator, dup_rate: float, dga_share: float) -> None:
        self.out = out
        self.seed = seed
        self.rng = rng
        self.dup_rate = dup_rate
        self.dga_share = dga_share
        self.records: list[pd.DataFrame] = []
        self.noise_log: list[pd.DataFrame] = []
        self.eligible: list[tuple[str, str, str, str, int, int]] = []
        self.envelopes: list[dict[str, Any]] = []
        self.rows: dict[str, int] = {}
        keys_rng = np.random.Generator(np.random.PCG64([seed, 9001]))
        self.keys = {a: keys_rng.bytes(32).hex() for a in ("AMLO", "COJ", "DOPA", "DSI", "MSDHS", "OAG", "PACC",
                                                           "RLPD", "RTP")}

    def emit(self, t: Table) -> None:
        """Lay out and write one table, and record its truth."""
        n = len(t)
        dup = (self.rng.random(n) < self.dup_rate) if t.duplicates else np.zeros(n, dtype=bool)
        order = np.repeat(np.arange(n), 1 + dup.astype(np.int64))
        is_copy = np.zeros(len(order), dtype=bool)
        is_copy[1:] = order[1:] == order[:-1]
        to_dga = (self.rng.random(len(order)) < self.dga_share) if t.dga else np.zeros(len(order), dtype=bool)
        in_file = ~to_dga
        row = np.zeros(len(order), dtype=np.int64)
        row[in_file] = np.arange(1, int(in_file.sum()) + 1)
        stem = t.file.rsplit(".", 1)[0]
        xid = np.full(len(order), "", dtype=object)
        for j in np.flatnonzero(to_dga):
            xid[j] = hashlib.sha256(f"{self.seed}:{stem}:{j}".encode()).hexdigest()[:24]
        row_txt = np.where(in_file, row.astype(str), "").astype(object)
        for part, ids in t.parts.items():
            ent = np.asarray(ids, dtype=object)[order]
            ok = ent != ""
            if not ok.any():
                continue
            self.records.append(pd.DataFrame({
                "agency": t.agency, "file": t.file, "row": row_txt[ok], "exchange_id": xid[ok], "part": part,
                "entity_type": [ENTITY_TYPES[e[0]] for e in ent[ok]], "entity_id": ent[ok]}))
        first = np.full(n, -1, dtype=np.int64)
        first[order[~is_copy]] = np.flatnonzero(~is_copy)
        log = t.noise.log
        if log:
            k = np.array([x[0] for x in log], dtype=np.int64)
            pos = first[k]
            self.noise_log.append(pd.DataFrame({"agency": t.agency, "file": t.file, "row": row_txt[pos],
                                                "exchange_id": xid[pos], "column": [x[1] for x in log],
                                                "kind": [x[2] for x in log]}))
        applied = Counter((x[1], x[2]) for x in log)
        for (col, kind), cnt in sorted(t.noise.eligible.items()):
            self.eligible.append((t.agency, t.file, col, kind, cnt, applied.get((col, kind), 0)))
        if t.duplicates:
            copies = np.flatnonzero(is_copy)
            self.eligible.append((t.agency, t.file, "", "duplicate_row", n, len(copies)))
            self.noise_log.append(pd.DataFrame({"agency": t.agency, "file": t.file, "row": row_txt[copies],
                                                "exchange_id": xid[copies], "column": "", "kind": "duplicate_row"}))
        self._write(t, order, in_file, xid)

    def _write(self, t: Table, order: np.ndarray, in_file: np.ndarray, xid: np.ndarray) -> None:
        path = self.out / "exports" / t.agency.lower() / t.file
        path.parent.mkdir(parents=True, exist_ok=True)
        keep = order[in_file]
        self.rows[f"{t.agency.lower()}/{t.file}"] = len(keep)
        if t.objects is not None:
            objs = [t.objects[i] for i in keep]
            path.write_text(json.dumps(objs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            return
        names = list(t.columns)
        cols = {c: np.asarray(v, dtype=object) for c, v in t.columns.items()}
        if t.dga:
            stem = t.file.rsplit(".", 1)[0]
            for j in np.flatnonzero(~in_file):
                payload = {c: cols[c][order[j]] for c in names}
                self.envelopes.append({"exchange_id": xid[j], "agency": t.agency, "record_type": stem,
                                       "issued_at": "", "payload": payload,
                                       "signature": sign(payload, self.keys[t.agency])})
        frame = pd.DataFrame({c: cols[c][keep] for c in names})
        if t.sheet:
            _write_xlsx(path, t.sheet, names, frame)
        else:
            write_csv(path, names, [frame[c].to_numpy() for c in names], t.encoding)

    def finish(self, config: dict[str, Any], truth_json: dict[str, Any]) -> None:
        """Write the DGA envelopes and keys, and the truth directory."""
        dga = self.out / "exports" / "dga"
        dga.mkdir(parents=True, exist_ok=True)
        base = dt.datetime(2019, 1, 1, 8, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        with (dga / "envelopes.jsonl").open("w", encoding="utf-8") as fh:
            for i, env in enumerate(self.envelopes):
                env["issued_at"] = (base + dt.timedelta(seconds=97 * i)).isoformat()
                fh.write(json.dumps(env, ensure_ascii=False) + "\n")
        (dga / "keys.json").write_text(json.dumps(self.keys, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        self.rows["dga/envelopes.jsonl"] = len(self.envelopes)
        truth = self.out / "truth"
        truth.mkdir(parents=True, exist_ok=True)
        cols = ["agency", "file", "row", "exchange_id", "part", "entity_type", "entity_id"]
        write_frames(truth / "records.csv", cols, self.records)
        ncols = ["agency", "file", "row", "exchange_id", "column", "kind"]
        write_frames(truth / "noise.csv", ncols, self.noise_log)
        pd.DataFrame(self.eligible, columns=["agency", "file", "column", "kind", "eligible", "applied"]).to_csv(
            truth / "noise_summary.csv", index=False, lineterminator="\n")
        for name, obj in truth_json.items():
            (truth / name).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (truth / "config.json").write_text(json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def write_csv(path: Path, names: list[str], columns: list[Any], encoding: str = "utf-8") -> None:
    """Write columns as CSV (minimal quoting, ``\\n`` line ends); the csv module is faster than pandas here."""
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(names)
        out.writerows(zip(*columns, strict=True))


def write_frames(path: Path, names: list[str], frames: list[pd.DataFrame]) -> None:
    """Write several frames with the same columns as one UTF-8 CSV with pyarrow (every string quoted).

    Used for the large truth tables, where pyarrow's writer is many times faster than the csv module.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    schema = pa.schema([(c, pa.string()) for c in names])
    with pacsv.CSVWriter(str(path), schema, write_options=pacsv.WriteOptions(quoting_style="needed")) as out:
        for f in frames:
            out.write_table(pa.table([pa.array(f[c].to_numpy(dtype=object), pa.string()) for c in names],
                                     schema=schema))


def _write_xlsx(path: Path, sheet: str, names: list[str], frame: pd.DataFrame) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    wb.set_properties({"created": _XLSX_TIME, "author": "สำนักงานศาลยุติธรรม"})
    ws = wb.add_worksheet(sheet)
    ws.write_row(0, 0, names)
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        ws.write_row(r, 0, [v if not isinstance(v, np.integer) else int(v) for v in values])
    wb.close()
