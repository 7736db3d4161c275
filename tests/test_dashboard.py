"""The web dashboard in a real browser: Debian's Chromium driven by Playwright against the app served
by uvicorn on 127.0.0.1 over a store filled from the test stories and the examples.

Checked: the page loads with no console errors and asks nothing of any other server; filtering by
type updates the table and the URL, and the back button undoes it; a reloaded URL restores the
filters; an opened row shows its document with the sentence, actors and trigger marked and every
mention; a correction (with the token) changes the row and shows its history, and API errors show;
the timeline, map and network draw, and clicking a node or a place filters; at phone width the page
does not overflow sideways. Screenshots go to a temporary folder, or to $COMMUNIQUE_SCREENSHOTS
(`make screenshots` refreshes the README's, in docs/screenshots/), so a test run leaves the
checkout clean.

Without /usr/bin/chromium (or the playwright package) the tests skip with the reason; under CI=true
they fail instead.
"""
from __future__ import annotations

import os
import re
import tempfile
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from communique.api import create_app
from communique.ingest import Sources
from communique.jobs import ingest
from communique.store import Store

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent
STORIES = HERE / "data" / "stories" / "reports.jsonl"
EXAMPLES = HERE.parent / "examples"
SHOTS = Path(os.environ.get("COMMUNIQUE_SCREENSHOTS") or tempfile.mkdtemp(prefix="communique-shots-"))
IN_CI = os.environ.get("CI", "").lower() == "true"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    path = tmp_path_factory.mktemp("dashboard") / "events.db"
    store = Store(str(path))
    ingest(store, Sources([str(STORIES), str(EXAMPLES)]))
    token = store.create_token("tester")
    store.close()

    port = _free_port()
    config = uvicorn.Config(create_app(str(path)), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, name="dashboard-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=10) as api:
        yield SimpleNamespace(url=base, token=token, api=api)
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"the playwright package is missing: {exc}")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
    except Exception as exc:  # noqa: BLE001 - any launch failure is the same story
        pw.stop()
        _unavailable(f"{CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    pw.stop()


def _open(browser, server, viewport=DESKTOP, **context_args):
    context = browser.new_context(viewport=viewport, **context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.requests, page.console_errors, page.page_errors = [], [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    page.base = server.url
    return context, page


@pytest.fixture
def page(browser, server):
    context, page = _open(browser, server)
    yield page
    # every test: no script error, nothing asked of another server
    context.close()
    assert page.page_errors == [], page.page_errors
    assert [u for u in page.requests if not u.startswith(server.url + "/")] == []


def go(page, query: str = ""):
    page.goto(f"{page.base}/{query}")


def params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def rows(page):
    return page.locator("#view-events tr.event")


def wait_rows(page):
    page.wait_for_selector("#view-events tr.event")


def shot(page, name: str, **kwargs):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), **kwargs)


def api_total(server, **query) -> int:
    r = server.api.get("/api/events", params={"limit": 1, **query})
    r.raise_for_status()
    return r.json()["total"]


# --- tests ---------------------------------------------------------------------------------------


def test_page_loads_without_errors_or_outside_requests(page, server):
    go(page)
    wait_rows(page)
    assert page.locator("#events-total").inner_text() == str(api_total(server))
    for view in ("timeline", "network", "map"):
        page.click(f"#tab-{view}")
        page.wait_for_selector(f"#view-{view} svg")
    page.wait_for_selector("#view-map path.country")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []
    assert page.requests and all(u.startswith(server.url + "/") for u in page.requests)
    loaded = {urlparse(u).path for u in page.requests}
    assert {"/static/vendor/d3/d3.min.js", "/static/vendor/topojson-client/topojson-client.min.js",
            "/static/vendor/world-atlas/countries-110m.json"} <= loaded


def test_filter_by_type_updates_table_and_url_and_back_undoes_it(page, server):
    go(page)
    wait_rows(page)
    everything = page.locator("#events-total").inner_text()
    page.click("#types-button")
    page.check("#types-options input[value=ASSAULT]")
    page.wait_for_function("() => new URLSearchParams(location.search).get('type') === 'ASSAULT'")
    expected = api_total(server, type="ASSAULT")
    page.wait_for_function(f"() => document.querySelector('#events-total')?.textContent === '{expected}'")
    assert set(rows(page).locator(".type-badge").all_inner_texts()) == {"ASSAULT"}
    assert page.locator(".chip[data-key=type] .chip-value").inner_text() == "ASSAULT"

    page.check("#types-options input[value=CONSULT]")
    page.wait_for_function("() => new URLSearchParams(location.search).get('type') === 'CONSULT,ASSAULT'")
    both = api_total(server, type="CONSULT,ASSAULT")
    page.wait_for_function(f"() => document.querySelector('#events-total')?.textContent === '{both}'")
    assert set(rows(page).locator(".type-badge").all_inner_texts()) <= {"ASSAULT", "CONSULT"}

    page.go_back()
    page.wait_for_function(f"() => document.querySelector('#events-total')?.textContent === '{expected}'")
    assert params(page)["type"] == "ASSAULT"
    assert page.locator("#types-options input[value=CONSULT]").is_checked() is False
    page.go_back()
    page.wait_for_function(f"() => document.querySelector('#events-total')?.textContent === '{everything}'")
    assert "type" not in params(page)


def test_reloading_the_url_restores_the_filters(page, server):
    query = {"type": "ASSAULT", "actor": "PAK", "min_confidence": "0.5", "q": "police", "sort": "-fatalities"}
    expected = api_total(server, **query)
    assert expected > 0
    go(page, "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    for attempt in ("load", "reload"):
        if attempt == "reload":
            page.reload()
        wait_rows(page)
        assert page.locator("#events-total").inner_text() == str(expected), attempt
        assert page.input_value("#f-actor") == "PAK"
        assert page.input_value("#f-q") == "police"
        assert page.locator("#f-conf-out").inner_text() == "0.50"
        assert page.locator("#types-button").inner_text() == "ASSAULT"
        assert page.locator("#sort").input_value() == "-fatalities"
        assert set(page.locator(".chip").evaluate_all("cs => cs.map(c => c.dataset.key)")) == {"type", "actor", "min_confidence", "q"}
        assert set(rows(page).locator(".type-badge").all_inner_texts()) == {"ASSAULT"}
        deaths = [int(t) if t.strip().isdigit() else 0 for t in rows(page).locator(".c-deaths").all_inner_texts()]
        assert deaths == sorted(deaths, reverse=True)
    # clearing one chip changes the URL and the table
    page.click(".chip[data-key=q] .chip-x")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('q')")
    without_q = api_total(server, **{k: v for k, v in query.items() if k != "q"})
    page.wait_for_function(f"() => document.querySelector('#events-total')?.textContent === '{without_q}'")


def _most_reported(server) -> dict:
    event = server.api.get("/api/events", params={"sort": "-sources", "limit": 1, "type": "ASSAULT"}).json()["events"][0]
    return server.api.get(f"/api/events/{event['event_id']}").json()


def test_expanding_a_row_shows_the_document_with_the_sentence_highlighted(page, server):
    event = _most_reported(server)
    assert event["num_sources"] > 1
    lead = next(m for m in event["mentions"] if m["lead"])
    doc = server.api.get(f"/api/documents/{lead['document_id']}").json()
    go(page, "?type=ASSAULT&sort=-sources")
    wait_rows(page)
    row = page.locator(f'tr.event[data-id="{event["event_id"]}"]')
    row.click()
    detail = page.locator(f'tr.detail[data-id="{event["event_id"]}"]')
    detail.locator(".doc-text .s.lead").wait_for()
    assert row.get_attribute("aria-expanded") == "true"
    assert params(page)["event"] == event["event_id"]
    a, b = lead["char_span"]
    assert detail.locator(".doc-text .s.lead").inner_text().strip() == doc["text"][a:b].strip()
    assert detail.locator(".doc-text").inner_text().strip() == doc["text"].strip()
    assert lead["trigger"] in detail.locator(".doc-text .s.lead mark.m-trigger").all_inner_texts()
    if lead["source_text"]:
        assert lead["source_text"] in detail.locator(".doc-text mark.m-source").all_inner_texts()
    assert detail.locator(".doc-title").inner_text() == doc["title"]
    # every mention, grouped by report and sentence, with its trigger and rule
    assert detail.locator(".mention-coding").count() == len(event["mentions"])
    assert detail.locator("li.mention-doc").count() == len({m["document_id"] for m in event["mentions"]})
    assert {s.strip() for s in detail.locator(".mention-sentence").all_inner_texts()} == {m["sentence"].strip() for m in event["mentions"]}
    assert sorted(detail.locator(".mention-coding .rule").all_inner_texts()) == sorted(m["rule"] for m in event["mentions"])
    assert sorted(detail.locator(".mention-coding .p-trigger").all_inner_texts()) == sorted(m["trigger"] for m in event["mentions"])
    links = set(detail.locator("a.mention-title").evaluate_all("as => as.map(a => a.href)"))
    assert links == {m["url"] for m in event["mentions"]}
    # another outlet's mention: its document replaces the text
    other = next((m for m in event["mentions"] if m["document_id"] != lead["document_id"]), None)
    if other:
        detail.locator(f'li.mention-doc[data-document="{other["document_id"]}"] li.mention-sent').first.locator("button.show").click()
        page.wait_for_function("([sel, t]) => document.querySelector(sel)?.textContent === t",
                               arg=[f'tr.detail[data-id="{event["event_id"]}"] .doc-title', other["title"]])
        detail.locator(".doc-text .s.lead").wait_for()
        shown = [m for m in event["mentions"] if m["document_id"] == other["document_id"]][0]
        assert detail.locator(".doc-text .s.lead").inner_text().strip() == shown["sentence"].strip()
    # a shared link opens the same row by itself
    go(page, f"?type=ASSAULT&sort=-sources&event={event['event_id']}")
    page.locator(f'tr.detail[data-id="{event["event_id"]}"] .doc-text .s.lead').wait_for()


def test_dashboard_screenshot(page, server):
    event = _most_reported(server)
    go(page, f"?type=ASSAULT&sort=-sources&event={event['event_id']}")
    page.locator(".doc-text .s.lead").wait_for()
    assert page.locator("tr.event").first.get_attribute("data-id") == event["event_id"]
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(100)
    shot(page, "dashboard.png")


def test_correcting_an_event_shows_the_change_and_its_history(page, server):
    event = server.api.get("/api/events", params={"type": "CONSULT", "limit": 1}).json()["events"][0]
    eid = event["event_id"]
    go(page, f"?type=CONSULT&event={eid}")
    detail = page.locator(f'tr.detail[data-id="{eid}"]')
    detail.locator(".doc-text .s.lead").wait_for()
    detail.get_by_role("button", name="Correct this event").click()
    form = detail.locator("form.correction")
    form.locator("select[name=type]").select_option("AGREE")
    # no reason: refused in the page
    form.get_by_role("button", name="Save correction").click()
    assert "why" in form.locator(".form-status.error").inner_text().lower()
    # a wrong token: the API's message is shown, nothing changes
    form.locator("textarea[name=why]").fill("The ministers signed an agreement; the talks were only the setting.")
    form.locator("input[name=token]").fill("not-a-token")
    form.get_by_role("button", name="Save correction").click()
    page.wait_for_function("() => /refused/.test(document.querySelector('form.correction .form-status')?.textContent || '')")
    assert "not valid" in form.locator(".form-status.error").inner_text()
    assert server.api.get(f"/api/events/{eid}").json()["type"] == "CONSULT"
    # a bad country code: the API's 400 message is shown
    form.locator("input[name=token]").fill(server.token)
    form.locator("input[name=target_country]").fill("XX1")
    form.get_by_role("button", name="Save correction").click()
    page.wait_for_function("() => /Not saved/.test(document.querySelector('form.correction .form-status')?.textContent || '')")
    assert "alpha-3" in form.locator(".form-status.error").inner_text()
    # now right
    # the target's own country again (empty for a target with none, such as a UN official)
    form.locator("input[name=target_country]").fill((event["target"] or {}).get("country") or "")
    form.locator("input[name=place_name]").fill("Osaka")
    form.locator("input[name=place_country]").fill("JPN")
    form.locator("input[name=lat]").fill("34.6937")
    form.locator("input[name=lon]").fill("135.5023")
    form.get_by_role("button", name="Save correction").click()
    history = detail.locator(".history-list")
    history.wait_for()
    assert "Correction saved" in detail.locator(".notice.ok").inner_text()
    item = history.locator("li.correction-item")
    assert item.count() == 1
    assert item.locator(".who").inner_text() == "tester"
    assert "signed an agreement" in item.locator(".why").inner_text()
    changes = item.locator(".changes li").all_inner_texts()
    assert any(re.search(r"Type\s+CONSULT\s*→\s*AGREE", c) for c in changes), changes
    assert any("Osaka" in c and "→" in c for c in changes), changes
    row = page.locator(f'tr.event[data-id="{eid}"]')
    assert row.locator(".type-badge").inner_text() == "AGREE"
    assert "Osaka" in row.locator(".c-place").inner_text()
    assert row.locator(".flag.corrected").count() == 1
    assert page.evaluate("() => localStorage.getItem('communique.token')") == server.token
    stored = server.api.get(f"/api/events/{eid}/history").json()
    assert stored["corrections"][0]["who"] == "tester" and stored["corrections"][0]["changes"]["type"] == "AGREE"
    # the token is not asked for again; the form starts from the corrected values
    detail.get_by_role("button", name="Correct this event").click()
    assert form.locator("input[name=token]").count() == 0
    assert form.locator("select[name=type]").input_value() == "AGREE"
    assert form.locator("input[name=place_name]").input_value() == "Osaka"
    form.locator("textarea[name=why]").fill("The talks were in Osaka, not Tokyo (a second look at the dateline).")
    page.evaluate("() => window.scrollTo(0, document.querySelector('.correction-panel').getBoundingClientRect().top + scrollY - 150)")
    page.wait_for_timeout(100)
    shot(page, "correction.png")
    detail.get_by_role("button", name="Cancel").click()
    # the server refused nothing but the two provoked errors
    assert all(re.search(r"status of (400|401)", e) for e in page.console_errors), page.console_errors


def test_timeline_draws_stacked_bars_and_a_click_filters_to_the_period(page, server):
    go(page, "?view=timeline&bucket=month")
    page.wait_for_selector("#view-timeline svg rect.seg")
    body = server.api.get("/api/timeline", params={"bucket": "month"}).json()
    periods = {p["period"] for p in body["periods"]}
    assert page.locator("#view-timeline g.period").count() >= len(periods)
    assert page.locator("#view-timeline .hit").count() == len(periods)
    assert page.locator("#view-timeline .x-axis .tick").count() > 1
    assert page.locator("#view-timeline .types-legend .key").count() >= len({p["type"] for p in body["periods"]})
    coop = sum(p["cooperative"] for p in body["periods"])
    conf = sum(p["conflictual"] for p in body["periods"])
    assert page.locator("#view-timeline .coop-text").first.inner_text() == f"{coop} cooperative"
    assert page.locator("#view-timeline .conf-text").first.inner_text() == f"{conf} conflictual"
    shot(page, "timeline.png")
    page.get_by_role("button", name="Week").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('bucket') === 'week'")
    page.wait_for_selector("#view-timeline svg rect.seg")
    # clicking the busiest period lists its events
    busiest = max(periods, key=lambda p: sum(r["events"] for r in body["periods"] if r["period"] == p))
    page.go_back()
    page.wait_for_selector(f'#view-timeline g.period[data-period="{busiest}"] .hit')
    page.locator(f'#view-timeline g.period[data-period="{busiest}"] .hit').dispatch_event("click")
    page.wait_for_function("() => new URLSearchParams(location.search).get('since')")
    q = params(page)
    assert q["since"].startswith(busiest) and q["until"].startswith(busiest) and q.get("view") is None
    wait_rows(page)
    assert page.locator("#events-total").inner_text() == str(api_total(server, since=q["since"], until=q["until"]))


def test_map_draws_the_basemap_and_points_and_a_click_filters_nearby(page, server):
    go(page, "?view=map")
    page.wait_for_selector("#view-map circle.point")
    places = [p for p in server.api.get("/api/places").json()["places"] if p["lat"] is not None]
    assert page.locator("#view-map path.country").count() > 150
    assert page.locator("#view-map circle.point").count() == len(places)
    radii = page.locator("#view-map circle.point").evaluate_all("cs => cs.map(c => +c.getAttribute('r'))")
    assert max(radii) > min(radii)
    page.mouse.move(0, 0)
    shot(page, "map.png")
    target = max(places, key=lambda p: p["events"])
    point = page.locator(f'#view-map circle.point[data-name="{target["name"]}"]').first
    point.dispatch_event("mousemove")
    assert target["name"] in page.locator("#tooltip").inner_text()
    assert f'{target["events"]} events' in page.locator("#tooltip").inner_text()
    point.dispatch_event("click")
    page.wait_for_function("() => new URLSearchParams(location.search).get('near')")
    lat, lon, km = (float(x) for x in params(page)["near"].split(","))
    assert abs(lat - target["lat"]) < 0.01 and abs(lon - target["lon"]) < 0.01 and km == 50
    page.wait_for_selector("#view-map path.near-ring")
    assert page.locator(".chip[data-key=near]").count() == 1
    page.click("#tab-events")
    wait_rows(page)
    assert page.locator("#events-total").inner_text() == str(api_total(server, near=params(page)["near"]))


def test_network_draws_nodes_and_edges_and_a_click_filters_by_the_actor(page, server):
    go(page, "?view=network")
    page.wait_for_selector("#view-network g.node")
    dyads = server.api.get("/api/dyads", params={"limit": 200}).json()["dyads"]
    names = {(d[side]["name"], d[side]["country"]) for d in dyads for side in ("source", "target")}
    before = page.locator("#view-network g.node").count()
    assert before == len(names)
    assert page.locator("#view-network line.link").count() > 3
    widths = page.locator("#view-network line.link").evaluate_all("ls => ls.map(l => +l.getAttribute('stroke-width'))")
    colours = page.locator("#view-network line.link").evaluate_all("ls => ls.map(l => l.getAttribute('stroke'))")
    assert max(widths) > min(widths) and len(set(colours)) > 2
    page.mouse.move(0, 0)
    shot(page, "network.png")
    busiest = page.locator("#view-network g.node").evaluate_all(
        "gs => gs.map(g => [+g.querySelector('circle').getAttribute('r'), g.dataset.name]).sort((a, b) => b[0] - a[0])[0][1]")
    page.locator(f'#view-network g.node[data-name="{busiest}"] circle').click()
    page.wait_for_function("(n) => new URLSearchParams(location.search).get('actor') === n", arg=busiest)
    page.wait_for_selector("#view-network g.node.active")
    assert page.locator(".chip[data-key=actor] .chip-value").inner_text() == busiest
    assert page.locator("#view-network g.node").count() < before
    page.click("#tab-events")
    wait_rows(page)
    assert page.locator("#events-total").inner_text() == str(api_total(server, actor=busiest))


def test_phone_width_has_no_horizontal_overflow(browser, server):
    context, page = _open(browser, server, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        overflow = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        go(page)
        wait_rows(page)
        assert page.evaluate(overflow) <= 0
        assert page.locator("#filters-toggle").is_visible()
        assert not page.locator("#f-actor").is_visible()
        page.click("#filters-toggle")
        assert page.locator("#f-actor").is_visible()
        assert page.evaluate(overflow) <= 0
        page.click("#filters-toggle")
        assert page.locator("#view-events thead").is_hidden()  # rows are cards
        shot(page, "phone.png")
        rows(page).first.click()
        page.locator(".doc-text .s.lead").wait_for()
        assert page.evaluate(overflow) <= 0
        page.locator(".correction-head button").click()
        assert page.evaluate(overflow) <= 0
        for view in ("timeline", "network", "map"):
            page.click(f"#tab-{view}")
            page.wait_for_selector(f"#view-{view} svg")
            width = page.locator(f"#view-{view} svg").first.evaluate("s => s.getBoundingClientRect().width")
            assert width <= PHONE["width"] - 20, view
            assert page.evaluate(overflow) <= 0, view
        assert page.page_errors == []
        assert [u for u in page.requests if not u.startswith(server.url + "/")] == []
    finally:
        context.close()
