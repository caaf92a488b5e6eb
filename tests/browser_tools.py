"""Headless Chromium for the browser tests (tests/project/test_browser*.py): the offline flags, the
``browser`` fixture and page helpers. Without Chromium the tests are skipped locally, and fail when CI is set."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

OFFLINE_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--mute-audio",
    # every request goes to a proxy that is not there; only loopback is exempt
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--window-size=1280,1700", "--hide-scrollbars", "--force-device-scale-factor=1",
]


def find_chromium() -> tuple[str | None, str | None]:
    """Paths of the Chromium binary and of chromedriver (None when absent)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver") or next(
        (p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if Path(p).exists()), None)
    return browser, driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary, driver_path = find_chromium()
    if not binary or not driver_path:
        reason = (f"headless Chromium not found (chromium: {binary or 'missing'}, chromedriver: "
                  f"{driver_path or 'missing'}); install with 'sudo apt-get install chromium chromium-driver'")
        if os.environ.get("CI"):
            pytest.fail(reason + " -- CI must run the browser test")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in OFFLINE_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_page(driver, path: Path) -> list[dict]:
    """Load a file and return the SEVERE console messages it produced."""
    driver.get_log("browser")  # discard messages of earlier pages
    driver.get(path.resolve().as_uri())
    driver.execute_script("return document.readyState")
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def count(driver, css: str) -> int:
    return driver.execute_script(f"return document.querySelectorAll({css!r}).length")
