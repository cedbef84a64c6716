"""``tipgraph``'s console script: an error whose message says it all is one line on stderr, not a traceback."""

from __future__ import annotations

import pytest
import typer

from api.cli import is_user_error, run
from graph_model.store.base import NodeRecord, PartialCommitError, Provenance
from graph_model.store.memory import MemoryStore

bad = typer.Typer()


@bad.command()
def load(kind: str) -> None:
    """Write a node the schema refuses (``kind`` schema), or fail otherwise."""
    if kind == "schema":
        MemoryStore().upsert_nodes([NodeRecord("Person", "per:1", {"no_such_property": 1},
                                               [Provenance("RTP", "rtp:1", "2024-01-01")])])
    raise KeyError("a programming error")


def test_a_schema_error_ends_the_command_with_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        run(bad, ["schema"])
    assert ended.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("tipgraph: SchemaError: ") and "per:1" in err and "no_such_property" in err
    assert "Traceback" not in err


def test_other_errors_keep_their_traceback() -> None:
    with pytest.raises(KeyError):
        run(bad, ["other"])
    assert is_user_error(PartialCommitError("part of batch 3 is in the graph"))
    assert not is_user_error(ValueError("x"))
