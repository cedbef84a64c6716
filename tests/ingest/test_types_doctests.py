"""The examples in the value types' docstrings run (pytest collects doctests only under tests/)."""

import doctest
import importlib

import pytest

MODULES = [
    "ingest.types", "ingest.types._common", "ingest.types.thai_id", "ingest.types.dates", "ingest.types.phones",
    "ingest.types.bank", "ingest.types.case_number", "ingest.types.codes", "ingest.types.address",
    "ingest.types.names.romanise", "ingest.types.names.person", "ingest.types.names.org",
    "ingest.types.names.titles",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
