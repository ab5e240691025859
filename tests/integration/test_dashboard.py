"""The live dashboard in a real headless Chromium, against a running worker."""

import re
import shutil

import pytest
from playwright.async_api import async_playwright, expect

from tests.conftest import REPO
from tests.integration.kafka_support import produce

SCREENSHOT = REPO / "build" / "test-artifacts" / "dashboard.png"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--no-first-run", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    assert path, "Debian's chromium is needed for the dashboard test (`make test` installs it)"
    return path


async def test_dashboard_shows_counts_change_after_a_publish(deployment, fixture_article, chromium, tmp_path):
    worker = deployment.worker().wait_ready()
    try:
        async with async_playwright() as pw:
            context = await pw.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=chromium, args=CHROMIUM_FLAGS, headless=True,
                viewport={"width": 1280, "height": 900},
            )  # fmt: skip
            page = await context.new_page()
            await page.goto(f"http://127.0.0.1:{worker.port}/dashboard")
            await expect(page.locator("#status")).to_have_text(re.compile("^live"), timeout=15_000)
            await expect(page.locator("#consumed")).to_have_text("0")
            await expect(page.locator("#latest")).to_contain_text("nothing enriched yet")

            await produce(
                deployment.bootstrap,
                deployment.raw,
                [(b"rferl-a", fixture_article, []), (b"rferl-b", fixture_article, []), (b"bad", b"\xff\xfe", [])],
            )
            await expect(page.locator("#consumed")).to_have_text("3", timeout=30_000)
            await expect(page.locator("#enriched")).to_have_text("2")
            await expect(page.locator("#dead")).to_have_text("1")
            await expect(page.locator("#dead-letters")).to_contain_text("NotUtf8Error")
            for agency in ("AFP", "dpa", "Reuters"):
                await expect(page.locator("#agencies")).to_contain_text(agency)
            await expect(page.locator("#latest")).to_contain_text("US, Iraq Announce Commitment")
            await expect(page.locator("#lag")).to_contain_text("partition 0")
            assert await page.locator("#chart rect").count() >= 1, "the throughput chart draws the new bucket"

            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SCREENSHOT), full_page=True)
            await context.close()
    finally:
        worker.terminate()
    assert SCREENSHOT.stat().st_size > 10_000
