"""The Superset dashboard on the publication, opened in a real browser (marker ``bi``).

Run by ``make test-bi`` (and so by CI) with the BI venv's pytest, after ``make bi`` has
provisioned and started Superset on 127.0.0.1: headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright; no browser is downloaded) logs in, opens the
dashboard, waits for its three charts, reads its tables, takes a screenshot and checks that

- the rendered Tabel 3 and Tabel 4 tables show, cell by cell, the publication's values
  (read from the publication file, opened read-only);
- the staircase (Figur 2, drawn on a canvas) is drawn, and the data the page received
  for it are the publication's steps;
- through SQL Lab, the registered database runs with DuckDB's external access off (a file
  outside the publication is refused) and Superset refuses DDL/DML on it.

Superset not running is a failure, not a skip. docs/bi.md.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from playwright.sync_api import Page, Response, sync_playwright

pytestmark = pytest.mark.bi

PROJECT = Path(__file__).resolve().parents[2]
BI_DIR = Path(os.environ.get("FAELLESBORGER_BI_DIR", PROJECT / "build" / "bi"))
PORT = os.environ.get("FAELLESBORGER_BI_PORT", "8088")
BASE_URL = f"http://127.0.0.1:{PORT}"
DB = Path(os.environ.get("FAELLESBORGER_DB", PROJECT / "data" / "faellesborger.duckdb"))
PUBLICATION = (Path(os.environ["FAELLESBORGER_PUBLISH_DIR"])
               if os.environ.get("FAELLESBORGER_PUBLISH_DIR")
               else DB.parent / "publish") / "current" / "faellesborger_publication.duckdb"
CHROMIUM = os.environ.get("FAELLESBORGER_CHROMIUM", "/usr/bin/chromium")
YEAR = 2020
TABEL4_COLUMNS = ["population", "boligraadgivning_ungementor", "hjemmepleje_sygepleje",
                  "alkoholbehandling", "misbrugsbehandling", "socialpaedagogisk_stoette",
                  "herberg", "midlertidigt_botilbud", "stoettekontaktperson",
                  "laengerevarende_botilbud", "boern_forebyggende", "boern_anbragt"]
TIMEOUT_MS = 120_000


def cell(value: object) -> str:
    """A value as Superset's table chart shows it: null as N/A."""
    return "N/A" if value is None else str(value)


@pytest.fixture(scope="module")
def publication() -> dict[str, Any]:
    """The publication's Tabel 3, Tabel 4 and steps of YEAR, as the dashboard should show
    them."""
    assert PUBLICATION.is_file(), f"No publication at {PUBLICATION}: run `make build`."
    with duckdb.connect(str(PUBLICATION), read_only=True,
                        config={"enable_external_access": False}) as con:
        tabel3 = con.execute(
            "select row_label, population_text, faellesborgere_text, share_pct "
            "from rpt_publication_tabel3 where year = ? order by sort_order", [YEAR]).fetchall()
        tabel4 = con.execute(
            "pivot (select row_sort_order, row_label, tabel4_column, citizens_text "
            "       from rpt_publication_tabel4 where year = ?) "
            "on tabel4_column in ('" + "', '".join(TABEL4_COLUMNS) + "') "
            "using max(citizens_text) order by row_sort_order", [YEAR]).fetchall()
        steps = con.execute(
            "select support_step, step_label, faellesborgere, faellesborgere_kanten "
            "from rpt_publication_support_steps where year = ? order by support_step",
            [YEAR]).fetchall()
    assert tabel3 and tabel4 and steps, f"The publication has no {YEAR}."
    return {
        "tabel3": [[cell(v) for v in row] for row in tabel3],
        "tabel4": [[cell(v) for v in row[1:]] for row in tabel4],
        "steps": [{"step": f"{step}. {label}", "Fællesborgere": count,
                   "Heraf i kanten": kanten} for step, label, count, kanten in steps],
    }


def chart_rows(page: Page, title: str) -> list[list[str]]:
    """The body cells of the table chart whose header is ``title``, as rendered (once it
    has rows)."""
    holder = page.locator(".dashboard-component-chart-holder", has_text=title)
    rows = holder.locator("table tbody tr")
    rows.first.wait_for()
    return [[text.strip() for text in rows.nth(i).locator("td").all_inner_texts()]
            for i in range(rows.count())]


def slice_id(response: Response) -> int | None:
    """The chart a /api/v1/chart/data response answers (its form_data's slice_id)."""
    form_data = parse_qs(urlparse(response.url).query).get("form_data")
    if not form_data:
        return None
    value = json.loads(form_data[0]).get("slice_id")
    return int(value) if value is not None else None


def sql_lab(page: Page, sql: str) -> Any:
    """Run ``sql`` in SQL Lab on the publication's database as the logged-in user; the
    answer's JSON (``data`` on success, ``errors`` or ``message`` on a refusal)."""
    token = page.request.get(f"{BASE_URL}/api/v1/security/csrf_token/").json()["result"]
    databases = page.request.get(f"{BASE_URL}/api/v1/database/").json()["result"]
    (database,) = databases
    answer = page.request.post(
        f"{BASE_URL}/api/v1/sqllab/execute/",
        headers={"X-CSRFToken": token, "Referer": BASE_URL},
        data={"database_id": database["id"], "sql": sql, "runAsync": False,
              "schema": "main", "tab": "test", "select_as_cta": False,
              "queryLimit": 10, "expand_data": True, "client_id": f"t{abs(hash(sql)) % 10**9}"})
    return answer.json()


def is_staircase(answer: Any) -> bool:
    """Whether a chart data answer is the staircase's (its metric "Heraf i kanten")."""
    results = answer.get("result") or []
    return bool(results) and "Heraf i kanten" in results[0].get("colnames", [])


def test_dashboard_shows_the_publication(publication: dict[str, Any],
                                         tmp_path: Path) -> None:
    password_file = BI_DIR / "admin_password"
    assert password_file.is_file(), f"No {password_file}: run `make bi` first."
    password = password_file.read_text()
    assert Path(CHROMIUM).is_file(), f"No Chromium at {CHROMIUM}: apt-get install chromium."
    chart_data: dict[int, Any] = {}

    def keep_chart_data(response: Response) -> None:
        if "/api/v1/chart/data" in response.url and response.ok:
            key = slice_id(response)
            if key is not None:
                chart_data[key] = response.json()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1600, "height": 1300}, locale="da-DK")
        page.set_default_timeout(TIMEOUT_MS)
        try:
            page.goto(f"{BASE_URL}/login/")
            page.fill("input[name=username], #username", "admin")
            page.fill("input[name=password], #password", password)
            page.keyboard.press("Enter")
            page.wait_for_url(lambda url: "/login" not in url)

            page.on("response", keep_chart_data)
            page.goto(f"{BASE_URL}/superset/dashboard/faellesborgere/")
            # Each table has its rows and the staircase its canvas (the charts load
            # independently of one another).
            for title in ("Tabel 3.", "Tabel 4."):
                page.locator(".dashboard-component-chart-holder", has_text=title).locator(
                    "table tbody tr").first.wait_for()
            page.locator(".dashboard-component-chart-holder", has_text="Figur 2.").locator(
                "canvas").first.wait_for()
            # The staircase's data arrived and its bars finished growing (ECharts animates
            # them for about a second).
            for _ in range(TIMEOUT_MS // 500):
                if any(is_staircase(answer) for answer in chart_data.values()):
                    break
                page.wait_for_timeout(500)
            page.wait_for_timeout(2_000)
            errors = page.locator(".dashboard-component-chart-holder [role=alert]")
            assert errors.count() == 0, errors.all_inner_texts()

            # The tables are read before the screenshot: a full-page screenshot resizes the
            # page, Superset draws its charts again, and a table can be read while it has
            # no rows (seen once in CI: Tabel 3 read as empty after the screenshot).
            tabel3 = chart_rows(page, "Tabel 3.")
            tabel4 = chart_rows(page, "Tabel 4.")

            screenshot = tmp_path / "superset_dashboard.png"
            page.screenshot(path=str(screenshot), full_page=True)
            assert screenshot.stat().st_size > 10_000
            if os.environ.get("FAELLESBORGER_BI_SCREENSHOT"):
                shutil.copyfile(screenshot, os.environ["FAELLESBORGER_BI_SCREENSHOT"])

            settings = sql_lab(page, "select current_setting('enable_external_access') as ext")
            outside = sql_lab(page, "select content from read_text('/etc/hostname')")
            write = sql_lab(page, "create table t as select 1 as one")
        finally:
            browser.close()

    # The registered database: DuckDB with external access off (a file outside the
    # publication is refused), and Superset running no DML on it.
    assert settings.get("data") == [{"ext": False}], settings
    assert "data" not in outside or not outside["data"], outside
    assert "disabled by configuration" in json.dumps(outside), outside
    assert [error["error_type"] for error in write.get("errors", [])] == [
        "DML_NOT_ALLOWED_ERROR"], write
    assert tabel3 == publication["tabel3"]
    assert tabel4 == publication["tabel4"]
    steps = [answer["result"][0]["data"] for answer in chart_data.values()
             if is_staircase(answer)]
    assert steps, f"The page received no data for the staircase ({sorted(chart_data)})."
    assert steps[0] == publication["steps"]
