"""The report in a real browser: headless Chromium (Debian packages chromium, chromium-driver) via selenium.

Nothing is installed here: the test drives the system browser and skips, saying why, when it
is absent. ``.ci/run`` installs both packages.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from report_runs import make_fitted_run
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from arc_harness import report


def _system(name: str) -> str | None:
    return shutil.which(name) or next((p for p in (f"/usr/bin/{name}",) if Path(p).exists()), None)


CHROMIUM, CHROMEDRIVER = _system("chromium"), _system("chromedriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="needs headless Chromium from the Debian packages chromium and chromium-driver "
        "(/usr/bin/chromium, /usr/bin/chromedriver): apt-get install chromium chromium-driver",
    ),
]
INTEGER_COLUMNS = ("n_tasks", "solved_tasks", "n_error", "n_timeout", "n_memory", "n_missing")
PERCENT_COLUMNS = ("task_fraction", "task_solved", "pair_micro")


@pytest.fixture(scope="module")
def browser():
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    options.add_argument("--window-size=1400,2000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: selenium must not go looking for (or download) one.
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("browser")
    board = make_fitted_run(root / "run")
    path = report.write_report(root / "run")
    browser.get(path.resolve().as_uri())
    return browser, board


def visible_cards(driver) -> list:
    return [card for card in driver.find_elements(By.CSS_SELECTOR, "main .card") if card.is_displayed()]


def status_button(driver, value: str):
    return driver.find_element(By.CSS_SELECTOR, f'[data-filter="status"] button[data-value="{value}"]')


def test_summary_and_filter_counts_match_the_leaderboard(page):
    driver, board = page
    for split, row in board["summary"].items():
        for key in INTEGER_COLUMNS:
            cell = driver.find_element(
                By.CSS_SELECTOR, f'#summary tr[data-split="{split}"] td[data-key="{key}"]'
            )
            assert cell.text == str(row[key]), (split, key)
        for key in PERCENT_COLUMNS:
            cell = driver.find_element(
                By.CSS_SELECTOR, f'#summary tr[data-split="{split}"] td[data-key="{key}"]'
            )
            assert cell.text == f"{row[key]:.2%}", (split, key)
    rows = board["summary"].values()
    expected = {
        "": len(board["tasks"]),
        "solved": sum(r["solved_tasks"] for r in rows),
        "error": sum(r["n_error"] + r["n_timeout"] + r["n_memory"] for r in rows),
    }
    for value, count in expected.items():
        assert status_button(driver, value).find_element(By.CLASS_NAME, "n").text == str(count)
    assert len(visible_cards(driver)) == len(board["tasks"])
    # Nothing was fetched: the page carries its styles, script and plots.
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_filters_hide_cards_and_a_screenshot_is_saved(page, tmp_path):
    driver, board = page
    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    shutil.copy(shot, Path(tempfile.gettempdir()) / "report_screenshot.png")  # for a person to look at

    status_button(driver, "solved").click()
    shown = visible_cards(driver)
    solved = {r["task_id"] for r in board["tasks"] if r["solved"]}
    assert {card.get_attribute("data-id") for card in shown} == solved
    failed = driver.find_elements(By.CSS_SELECTOR, 'main .card[data-status="failed"]')
    assert failed and not any(card.is_displayed() for card in failed)

    driver.find_element(By.CSS_SELECTOR, '[data-filter="split"] button[data-value="evaluation"]').click()
    evaluation = {r["task_id"] for r in board["tasks"] if r["solved"] and r["split"] == "evaluation"}
    assert {card.get_attribute("data-id") for card in visible_cards(driver)} == evaluation
    assert driver.find_element(By.ID, "shown").text.startswith(f"{len(evaluation)} of ")

    status_button(driver, "").click()
    driver.find_element(By.ID, "search").send_keys("flip")
    ids = {card.get_attribute("data-id") for card in visible_cards(driver)}
    assert ids == {
        r["task_id"] for r in board["tasks"] if "flip" in r["task_id"] and r["split"] == "evaluation"
    }
    driver.save_screenshot(str(tmp_path / "report-filtered.png"))
