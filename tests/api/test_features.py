"""Saved investigations, case-file reports, bad input, the exchange endpoint, the web app's files."""

from __future__ import annotations

import io
import json
import unicodedata

from api_world import OFFICIAL, SUSPECT
from conftest import ENVELOPE, auth
from fastapi.testclient import TestClient


def test_investigation_shared_with_chosen_colleagues(client: TestClient, tokens: dict[str, str]) -> None:
    body = {"name": "Mae Sot ring", "entities": [SUSPECT, OFFICIAL], "notes": {SUSPECT: "recruiter?"},
            "shared_with": ["pacc"]}
    inv = client.post("/api/investigations", json=body, headers=auth(tokens["investigator"])).json()
    assert client.get(f"/api/investigations/{inv['id']}", headers=auth(tokens["pacc"])).json()["notes"] == body["notes"]
    assert client.get(f"/api/investigations/{inv['id']}", headers=auth(tokens["amlo"])).status_code == 404
    assert [i["id"] for i in client.get("/api/investigations", headers=auth(tokens["amlo"])).json()] == []
    # A colleague adds a note but may not re-share or delete.
    r = client.patch(f"/api/investigations/{inv['id']}", json={"notes": {OFFICIAL: "same phone"}},
                     headers=auth(tokens["pacc"]))
    assert r.status_code == 200 and r.json()["notes"] == {OFFICIAL: "same phone"}
    assert client.patch(f"/api/investigations/{inv['id']}", json={"shared_with": ["amlo"]},
                        headers=auth(tokens["pacc"])).status_code == 403
    assert client.delete(f"/api/investigations/{inv['id']}", headers=auth(tokens["pacc"])).status_code == 403
    assert client.delete(f"/api/investigations/{inv['id']}", headers=auth(tokens["investigator"])).status_code == 204


def test_case_file_html_names_every_source(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.get(f"/api/report?ids={SUSPECT}&ids={OFFICIAL}&title=Mae%20Sot", headers=auth(tokens["investigator"]))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    text = r.text
    assert "สมชาย ใจดี" in text and "RTP rtp-p1 (2024-03-01)" in text and "PACC pacc-o1" in text
    assert "HAS_PHONE" not in text or "Relationships among these entities" in text


def pdf_text(content: bytes) -> str:
    """The text of a PDF as pypdf extracts it, NFC."""
    from pypdf import PdfReader

    return unicodedata.normalize("NFC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


def max_moves_in_one_text_object(content: bytes) -> int:
    """The most text-matrix moves (``Tm``) inside one ``BT``...``ET`` of the first page."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    page = PdfReader(io.BytesIO(content)).pages[0]
    best = moves = 0
    for _, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"BT":
            moves = 0
        elif op == b"Tm":
            moves += 1
            best = max(best, moves)
    return best


def test_case_file_pdf_keeps_thai_marks_in_order(client: TestClient, tokens: dict[str, str]) -> None:
    """Thai names come back out of the PDF with their vowels and tone marks where they were (shaped, not dropped)."""
    title = "แฟ้มคดี ผู้ต้องหา"  # below vowel then tone mark (ู + ้), tone mark over a consonant (ฟ้ ต้)
    r = client.get(f"/api/report?ids={SUSPECT}&ids={OFFICIAL}&format=pdf&title={title}",
                   headers=auth(tokens["investigator"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and b"NotoSansThai" in r.content
    text = pdf_text(r.content)
    for thai in (title, "สมชาย ใจดี", "ประยุทธ์ ทองดี"):  # ุ below and ์ above in ประยุทธ์
        assert thai in text, (thai, text[:300])
    assert "ผู้" in text and "ผู้"[::-1] not in text
    # Shaped: the marks are placed glyph by glyph (the pen moved within a line); unshaped text is one string.
    assert max_moves_in_one_text_object(r.content) > 1
    assert "RTP rtp-p1 (2024-02-01)" in text  # every fact still names its source


def test_report_is_filtered_by_role(client: TestClient, tokens: dict[str, str]) -> None:
    text = client.get(f"/api/report?ids={SUSPECT}", headers=auth(tokens["pacc"])).text
    assert "MSDHS" not in text and "AMLO" not in text and "RTP rtp-p1" in text


def test_bad_input_gets_clear_4xx(client: TestClient, tokens: dict[str, str]) -> None:
    h = auth(tokens["admin"])
    cases = [
        (client.get("/api/network?ids=per:suspect&hops=9", headers=h), 422, "hops"),
        (client.get("/api/network?ids=per:suspect&hops=3&limit=500", headers=h), 422, "narrow it"),
        (client.get("/api/network?ids=per:suspect&node_types=Spaceship", headers=h), 422, "unknown node types"),
        (client.get("/api/network?ids=x&date_from=2024-05-01&date_to=2024-01-01", headers=h), 422, "date_from"),
        (client.get("/api/search?q=" + "ก" * 5000, headers=h), 414, "query string"),
        (client.get("/api/search?q=%20%20", headers=h), 422, "empty"),
        (client.post("/api/subgraph", content=b"{not json", headers={**h, "content-type": "application/json"}), 422,
         "JSON"),
        (client.post("/api/subgraph", content=b"x" * 3_000_000, headers={**h, "content-type": "application/json"}),
         413, "larger than"),
        (client.get("/api/money/trail?entity_id=acc:1&direction=sideways", headers=h), 422, "direction"),
    ]
    for r, code, words in cases:
        assert r.status_code == code, (r.status_code, r.text[:200])
        assert words.lower() in r.json()["detail"].lower(), r.json()["detail"]


def test_cypher_like_input_is_just_a_value(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.get("/api/entities/x'})%20DETACH%20DELETE%20n%20//", headers=auth(tokens["admin"]))
    assert r.status_code == 404
    assert client.get(f"/api/entities/{SUSPECT}", headers=auth(tokens["admin"])).status_code == 200


def test_exchange_loads_then_refuses_duplicates_and_forgeries(client: TestClient, tokens: dict[str, str]) -> None:
    h = {**auth(tokens["admin"]), "content-type": "application/x-ndjson"}
    first = client.post("/api/exchange", content=ENVELOPE.encode(), headers=h).json()
    assert first["counts"] == {"loaded": 1}
    again = client.post("/api/exchange", content=ENVELOPE.encode(), headers=h).json()
    assert again["counts"] == {"duplicate": 1}
    forged = ENVELOPE.replace('"x-1"', '"x-2"').replace("สมชาย", "สมศรี")
    refused = client.post("/api/exchange", content=forged.encode(), headers=h).json()
    assert refused["counts"] == {"rejected": 1} and refused["results"][0]["reason"]


def test_web_app_is_served_without_cdn(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<script" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert client.get("/static/vendor/vis-network.min.js").status_code == 200
    font = client.get("/static/fonts/NotoSansThai.ttf")
    assert font.status_code == 200 and len(font.content) > 10_000


def test_time_ordered_paths_follow_the_money_in_date_order(client: TestClient, tokens: dict[str, str]) -> None:
    h = auth(tokens["amlo"])
    url = "/api/paths?source=acc:004-1111111111&target=acc:006-3333333333&rel_types=TRANSFER&time_ordered=true"
    path = client.get(url, headers=h).json()["paths"][0]
    assert path["nodes"] == ["acc:004-1111111111", "acc:014-2222222222", "acc:006-3333333333"]
    assert [r["props"]["txn_id"] for r in path["relationships"]] == ["t1", "t2"]
    assert path["relationships"][0]["props"]["sources"] == ["AMLO|amlo-t1|2024-03-01"]
    backwards = url.replace("acc:004-1111111111", "X").replace("acc:006-3333333333", "acc:004-1111111111").replace(
        "X", "acc:006-3333333333")
    # Walked from the other end the steps go back in time: no time-ordered connection.
    assert client.get(backwards, headers=h).json()["paths"] == []
    assert client.get(backwards.replace("&time_ordered=true", ""), headers=h).json()["paths"] != []


def test_openapi_is_fit_for_a_client_generator(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    ops = [o for p in spec["paths"].values() for o in p.values()]
    ids = [o["operationId"] for o in ops]
    assert len(ids) == len(set(ids)) > 30
    assert all("200" in o["responses"] or "201" in o["responses"] or "204" in o["responses"] for o in ops)
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert client.get("/api/docs").status_code == 404  # no CDN-loaded Swagger UI


def test_shared_investigation_hides_what_the_colleague_may_not_see(client: TestClient, tokens: dict[str, str]) -> None:
    body = {"name": "money", "entities": [SUSPECT, "acc:006-3333333333"],
            "notes": {"acc:006-3333333333": "suspect's account", SUSPECT: "leader"}, "shared_with": ["pacc"]}
    inv = client.post("/api/investigations", json=body, headers=auth(tokens["amlo"])).json()
    seen = client.get(f"/api/investigations/{inv['id']}", headers=auth(tokens["pacc"])).json()
    assert seen["entities"] == [SUSPECT] and seen["notes"] == {SUSPECT: "leader"}
    # The colleague's edit keeps what they could not see.
    client.patch(f"/api/investigations/{inv['id']}", json={"entities": [SUSPECT, OFFICIAL], "notes": {}},
                 headers=auth(tokens["pacc"]))
    owner = client.get(f"/api/investigations/{inv['id']}", headers=auth(tokens["amlo"])).json()
    assert owner["entities"] == [SUSPECT, OFFICIAL, "acc:006-3333333333"]
    assert owner["notes"] == {"acc:006-3333333333": "suspect's account"}


def test_rings_are_filtered_by_role(client: TestClient, tokens: dict[str, str]) -> None:
    full = client.get("/api/rings", headers=auth(tokens["investigator+finance"])).json()[0]
    pacc = client.get("/api/rings", headers=auth(tokens["pacc"])).json()[0]
    assert SUSPECT in full["members"] and full["victims"] and full["money_thb"] is not None
    assert pacc["victims"] == [] and pacc["money_thb"] is None
    assert not {"MSDHS", "AMLO"} & set(pacc["agencies"])
    analyst = client.get("/api/rings", headers=auth(tokens["analyst"])).json()[0]
    # Pseudonyms only: computed ones (บุคคล-...) or the one the graph build stored for per:official (P-...).
    assert all(label.startswith(("บุคคล-", "P-")) for label in analyst["labels"].values())


def test_network_role_filter_keeps_only_those_roles(client: TestClient, tokens: dict[str, str]) -> None:
    g = client.get("/api/network?ids=case:rtp-1&hops=1&roles=victim", headers=auth(tokens["investigator"])).json()
    assert {n["id"] for n in g["nodes"]} == {"case:rtp-1", "per:victim", "per:victim2", "case:dsi-1"}
    assert {r["props"].get("role") for r in g["relationships"] if r["type"] == "ROLE_IN"} == {"victim"}


def test_notes_follow_the_compartments_and_pseudonyms(client: TestClient, tokens: dict[str, str]) -> None:
    """A note on a hidden entity is hidden even when the entity is not in the list; analysts read phones
    under pseudonyms and their edits keep the real ids."""
    phone, account = "tel:+66812345678", "acc:006-3333333333"
    body = {"name": "notes", "entities": [SUSPECT, phone],
            "notes": {account: "his account", phone: "his phone", "general": "met at Mae Sot"},
            "shared_with": ["pacc", "analyst"]}
    inv = client.post("/api/investigations", json=body, headers=auth(tokens["investigator+finance"])).json()
    assert inv["notes"] == body["notes"] and inv["labels"][phone] == "+66812345678"
    url = f"/api/investigations/{inv['id']}"
    pacc = client.get(url, headers=auth(tokens["pacc"])).json()
    assert pacc["notes"] == {phone: "his phone", "general": "met at Mae Sot"}
    assert "3333333333" not in json.dumps(pacc)
    analyst = client.get(url, headers=auth(tokens["analyst"])).json()
    text = json.dumps(analyst, ensure_ascii=False)
    assert "+66812345678" not in text and "3333333333" not in text
    hidden_phone = next(k for k in analyst["notes"] if k.startswith("tel:~"))
    assert analyst["entities"] == [SUSPECT, hidden_phone] and analyst["labels"][hidden_phone].startswith("โทรศัพท์-")
    edit = {"entities": analyst["entities"], "notes": {**analyst["notes"], "general": "met twice"}}
    assert client.patch(url, json=edit, headers=auth(tokens["analyst"])).status_code == 200
    owner = client.get(url, headers=auth(tokens["investigator+finance"])).json()
    assert owner["entities"] == [SUSPECT, phone]
    assert owner["notes"] == {account: "his account", phone: "his phone", "general": "met twice"}
