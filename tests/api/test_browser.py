"""The web app in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Logs in, searches a Thai name, opens the profile, expands the network, traces money, exports a PNG and
the case file; screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import SUSPECT, build_world
from conftest import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the test world, served by uvicorn on a free loopback port in a thread."""
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    app = create_app(Settings(workspace=tmp_path_factory.mktemp("browser") / "ws", bcrypt_rounds=4), store=build_world())
    app.state.services.users.create("somsak", PASSWORD, "investigator", ("finance",))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium (the system package; never a downloaded browser)."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_investigator_journey(server: str, browser: object, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)

    page.goto(server + "/")
    assert page.is_visible("#login-form") and not page.is_visible("#app-view")
    page.fill("#username", "somsak")
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#app-view:not([hidden])")
    page.screenshot(path=str(SHOTS / "01-logged-in.png"))

    page.fill("#q", "สมชาย")
    page.click("#search-form button")
    page.wait_for_selector(f"#results li[data-id='{SUSPECT}']")
    page.click(f"#results li[data-id='{SUSPECT}']")
    page.wait_for_selector("#profile-title")
    assert "สมชาย ใจดี" in page.inner_text("#profile-title")
    profile = page.inner_text("#tab-profile")
    assert "+66812345678" in profile and "RTP · rtp-p1 · 2024-03-01" in profile and "DSI 45/2567" in profile
    page.screenshot(path=str(SHOTS / "02-profile.png"), full_page=True)

    page.click("#lang")  # to English and back: labels follow
    assert page.inner_text("[data-tab=network]") == "Network"
    page.click("#lang")
    assert page.inner_text("[data-tab=network]") == "เครือข่าย"

    page.click("#tab-profile [data-act=network]")
    page.wait_for_function("window.Graph && Graph.nodes && Graph.nodes.length > 3")
    before = page.evaluate("Graph.nodes.length")
    # Expand the phone: a click on its node in the canvas brings the official who shares it.
    page.wait_for_timeout(800)
    point = page.evaluate("""() => { Graph.net.stopSimulation(); const id = 'tel:+66812345678';
        const p = Graph.net.getPositions([id])[id]; const d = Graph.net.canvasToDOM(p);
        const r = document.querySelector('#network canvas').getBoundingClientRect();
        return {x: r.left + d.x, y: r.top + d.y}; }""")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(f"Graph.nodes.length > {before} || Graph.nodes.get('per:official') !== null")
    assert page.evaluate("Graph.nodes.get('per:official') !== null")
    page.screenshot(path=str(SHOTS / "03-network.png"))

    with page.expect_download() as dl:
        page.click("#net-png")
    png = tmp_path / "network.png"
    dl.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000
    shutil.copy(png, SHOTS / "04-exported-chart.png")

    page.click("[data-tab=money]")
    page.fill("#money-start", "per:collector")
    page.click("#money-go")
    page.wait_for_selector("#money-table")
    trail = page.inner_text("#money-table")
    assert "004-1111111111" in trail and "006-3333333333" in trail and "50,000" in trail
    page.screenshot(path=str(SHOTS / "05-money-trail.png"))

    page.click("[data-tab=rings]")
    page.wait_for_selector("#rings-table")
    page.click("#rings-table [data-ring]")
    page.wait_for_function("Graph.nodes.get('per:suspect') !== null")

    page.screenshot(path=str(SHOTS / "06-ring.png"))

    page.click("[data-tab=profile]")
    page.click("#tab-profile [data-case='case:rtp-1']")
    page.wait_for_selector("#case-table")
    stages = page.inner_text("#case-table")
    assert "สภ.แม่สอด 123/2567" in stages and "DSI 45/2567" in stages and "90" in stages
    page.screenshot(path=str(SHOTS / "07-case.png"))

    page.click("[data-tab=stats]")
    page.wait_for_selector("#stats-out table")
    assert "คดี: สอบสวน ฟ้อง พิพากษาลงโทษ" in page.inner_text("#stats-out")

    page.click("[data-tab=profile]")
    with page.expect_download() as dl:
        page.click("#tab-profile [data-act=pdf]")
    pdf = tmp_path / "case-file.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    assert errors == [], errors
    assert external == [], external
    context.close()


def test_investigations_and_linked_cases_read_as_names(server: str, browser: object) -> None:
    """Saved investigations list their entities and notes by name, and the case view lists linked cases
    with the names of the persons they share (in both languages)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.fill("#username", "somsak")
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#app-view:not([hidden])")
    page.evaluate("""() => api('/api/investigations', {method: 'POST', json: {name: 'แม่สอด',
        entities: ['per:suspect', 'per:official', 'acc:006-3333333333'], notes: {'per:suspect': 'หัวหน้าขบวนการ'}}})""")

    page.click("[data-tab=investigations]")
    page.wait_for_selector("#inv-table")
    entities = page.inner_text("#inv-table .inv-entities")
    assert "สมชาย ใจดี" in entities and "ประยุทธ์ ทองดี" in entities and "006-3333333333" in entities
    assert "สมชาย ใจดี per:suspect: หัวหน้าขบวนการ" in page.inner_text("#inv-table")
    page.screenshot(path=str(SHOTS / "08-investigation-labels.png"))
    page.click("#inv-table .inv-entities [data-open='per:official']")
    page.wait_for_selector("#profile-title")
    assert "ประยุทธ์ ทองดี" in page.inner_text("#profile-title")

    page.evaluate("Views.caseView('case:rtp-1')")
    page.wait_for_selector("#linked-table")
    linked = page.inner_text("#linked-table")
    assert "AMLO-STR-9" in linked and "สมชาย ใจดี" in linked and "คดีอื่นที่เชื่อมโยงกัน" in page.inner_text("#case-out")
    page.click("#lang")
    assert "Linked cases" in page.inner_text("#case-out") and "Shared persons" in page.inner_text("#linked-table")
    assert "สมชาย ใจดี" in page.inner_text("#linked-table")
    page.screenshot(path=str(SHOTS / "09-linked-cases.png"))
    page.click("#lang")
    assert errors == [], errors
    context.close()
