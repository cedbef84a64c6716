"""Streaming readers: every export format as an iterator of ``(row_number, row_dict)``.

Row numbers are 1-based data rows (the header line is not counted); in a JSON array the row is the
1-based index of the object. Nothing is read whole into memory: CSV and JSON Lines go line by line,
JSON arrays through ``ijson``, workbooks through openpyxl's read-only mode.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
>>> _ = p.write_bytes("\\ufeffชื่อ,อายุ\\nสมชาย,34\\n".encode("utf-8"))
>>> list(read_rows(p))
[(1, {'ชื่อ': 'สมชาย', 'อายุ': '34'})]
>>> detect_encoding(p)
'utf-8-sig'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "ReaderError", "detect_encoding", "detect_format", "read_header", "read_rows"]

FORMATS = ("csv", "xlsx", "json", "jsonl")
Row = dict[str, Any]


class ReaderError(ValueError):
    """A file cannot be read as declared (wrong sheet, not JSON, undecodable); the message names it."""


def detect_format(path: Path) -> str:
    """The format of ``path`` from its suffix.

    >>> detect_format(Path("dsi_special_cases.json")), detect_format(Path("a.JSONL"))
    ('json', 'jsonl')
    """
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix in ("jsonl", "ndjson"):
        return "jsonl"
    if suffix in ("json", "csv"):
        return suffix
    if suffix in ("txt", "tsv"):
        return "csv"
    raise ReaderError(f"{path.name}: unknown file format {path.suffix!r}; expected one of {list(FORMATS)}")


def detect_encoding(path: Path, sample_bytes: int = 1 << 16) -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` or ``cp874`` (TIS-620 and its Windows superset), from a sample.

    A sample that is valid UTF-8 (allowing a character cut at the sample's end) is UTF-8; otherwise the
    Thai single-byte code page, which decodes every TIS-620 file.
    """
    with open(path, "rb") as fh:
        head = fh.read(sample_bytes)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) < sample_bytes or exc.start < len(head) - 4:  # not merely a multi-byte character cut by the sample
            return "cp874"
    return "utf-8"


def _norm_encoding(path: Path, encoding: str | None) -> str:
    if encoding in (None, "", "auto"):
        return detect_encoding(path)
    enc = str(encoding).lower().replace("_", "-")
    if enc in ("tis-620", "tis620", "cp874", "windows-874"):
        return "cp874"
    if enc in ("utf-8", "utf8"):
        # a declared UTF-8 file may still carry a BOM; utf-8-sig reads both
        return "utf-8-sig"
    return enc


def _csv_rows(path: Path, encoding: str | None, delimiter: str) -> Iterator[tuple[int, Row]]:
    enc = _norm_encoding(path, encoding)
    with open(path, encoding=enc, newline="", errors="strict") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise ReaderError(f"{path.name}: cannot decode as {enc}: {exc}") from None
        width = len(header)
        try:
            for n, cells in enumerate(reader, start=1):
                if len(cells) < width:
                    cells = cells + [""] * (width - len(cells))
                row: Row = dict(zip(header, cells, strict=False))
                if len(cells) > width:
                    row["__extra__"] = cells[width:]
                yield n, row
        except UnicodeDecodeError as exc:
            raise ReaderError(f"{path.name}: cannot decode as {enc}: {exc}") from None


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, Row]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ReaderError(f"{path.name}: no sheet {sheet!r}; sheets: {wb.sheetnames}")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header = ["" if h is None else str(h).strip() for h in next(rows)]
        except StopIteration:
            return
        n = 0
        for values in rows:
            if values is None or all(v is None or v == "" for v in values):
                continue  # trailing formatted-but-empty rows of a workbook are not data
            n += 1
            yield n, {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
    finally:
        wb.close()


def _cell(value: Any) -> Any:
    """Workbook cells as the text a CSV would hold (dates as ISO, whole floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return value if isinstance(value, str) else str(value)


def _json_rows(path: Path) -> Iterator[tuple[int, Row]]:
    import ijson

    with open(path, "rb") as fh:
        try:
            for n, item in enumerate(ijson.items(fh, "item", use_float=True), start=1):
                yield n, item if isinstance(item, dict) else {"value": item}
        except ijson.JSONError as exc:
            raise ReaderError(f"{path.name}: not a JSON array of objects: {exc}") from None


def _jsonl_rows(path: Path, encoding: str | None) -> Iterator[tuple[int, Row]]:
    with open(path, encoding=_norm_encoding(path, encoding)) as fh:
        n = 0
        for line in fh:
            if not line.strip():
                continue
            n += 1
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                item = {"__error__": f"invalid JSON: {exc}", "__line__": line.rstrip("\n")}
            yield n, item if isinstance(item, dict) else {"value": item}


def read_rows(
    path: str | Path,
    fmt: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    delimiter: str = ",",
) -> Iterator[tuple[int, Row]]:
    """Stream ``(row_number, row)`` from a CSV, xlsx, JSON array or JSON Lines file.

    ``encoding`` ``None``/``"auto"`` detects UTF-8 (BOM or not) versus TIS-620/cp874. A JSON Lines line
    that is not JSON yields ``{"__error__": ..., "__line__": ...}`` so the caller can quarantine it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("ชื่อ\\nสมชาย\\n".encode("cp874"))
    >>> list(read_rows(p)), detect_encoding(p)
    ([(1, {'ชื่อ': 'สมชาย'})], 'cp874')
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        return _csv_rows(path, encoding, delimiter)
    if fmt == "xlsx":
        return _xlsx_rows(path, sheet)
    if fmt == "json":
        return _json_rows(path)
    if fmt == "jsonl":
        return _jsonl_rows(path, encoding)
    raise ReaderError(f"{path.name}: unknown format {fmt!r}; expected one of {list(FORMATS)}")


def read_header(
    path: str | Path, fmt: str | None = None, encoding: str | None = None, sheet: str | None = None,
    delimiter: str = ",",
) -> list[str]:
    """The column names of a file (for JSON: the keys of the first object), read without loading it.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = p.write_text('{"txn_id": "T1", "amount_thb": 5}\\n')
    >>> read_header(p)
    ['txn_id', 'amount_thb']
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        enc = _norm_encoding(path, encoding)
        with open(path, encoding=enc, newline="") as fh:
            try:
                first = next(csv.reader(io.StringIO(fh.readline()), delimiter=delimiter), [])
            except UnicodeDecodeError as exc:
                raise ReaderError(f"{path.name}: cannot decode as {enc}: {exc}") from None
        return [h.strip().lstrip("\ufeff") for h in first]
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            if sheet is not None and sheet not in wb.sheetnames:
                raise ReaderError(f"{path.name}: no sheet {sheet!r}; sheets: {wb.sheetnames}")
            ws = wb[sheet] if sheet is not None else wb.worksheets[0]
            first_row = next(ws.iter_rows(values_only=True, max_row=1), ())
            return [str(h).strip() for h in first_row if h is not None]
        finally:
            wb.close()
    for _, row in read_rows(path, fmt, encoding):
        return [k for k in row if not k.startswith("__")]
    return []
