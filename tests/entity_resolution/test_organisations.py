"""Organisations: registration numbers join and separate, names in Thai and English meet."""

from __future__ import annotations

import pandas as pd
import pytest

from entity_resolution.organisations import resolve_organisations

VALID = "0105561012346"  # check digit right (see ingest.types.thai_id.company_reg)


@pytest.mark.parametrize(("a", "b", "same"), [
    (("บริษัท ทองดี จำกัด", VALID), ("THONGDEE CO., LTD.", VALID), True),
    (("บริษัท ทองดี จำกัด", ""), ("Thongdee Company Limited", ""), True),
    (("บริษัท ทองดี จำกัด", VALID), ("บริษัท ทองดี จำกัด", "0105561012354"), False),  # two valid numbers
    (("บริษัท ทองดี จำกัด", VALID), ("บริษัท ทองดี จำกัด", "0105561012347"), True),  # a typo keeps nobody apart
    (("บริษัท ทองดี จำกัด", ""), ("บริษัท สมุทรสาคร ซีฟู้ด จำกัด", ""), False),
])
def test_organisation_pairs(a: tuple[str, str], b: tuple[str, str], same: bool) -> None:
    frame = pd.DataFrame({"record_id": ["a", "b"], "names": [[a[0]], [b[0]]], "registration_no": [a[1], b[1]]})
    labels = resolve_organisations(frame)
    assert bool(labels[0] == labels[1]) is same
