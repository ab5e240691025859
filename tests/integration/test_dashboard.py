"""The live dashboard in a real headless Chromium, against a running worker."""

import re
import shutil
import time

import pytest
from playwright.async_api import async_playwright, expect

from tests.conftest import REPO
from tests.integration.kafka_support import produce
from tests.integration.test_syndication import _create_topics
from wirestream.schemas.syndication import SyndicationRecord

SCREENSHOT = REPO / "build" / "test-artifacts" / "dashboard.png"
SYNDICATION_SCREENSHOT = REPO / "build" / "test-artifacts" / "dashboard-syndication.png"
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


def _syndication_record(article_id, story, *, copies=0, origin=None, basis="inferred", uncredited=()):
    """A valid wire record (checked against the model) of the story, its origin and flags."""
    record = {
        "id": article_id,
        "story": story,
        "at": "2024-06-11T06:00:00+00:00",
        "shingles": 120,
        "derivation": "wholly" if copies else "none",
        "copies": [
            {"id": f"src-{n}", "derivation": "wholly", "contained": 0.9, "containing": 0.8, "similarity": 0.7}
            for n in range(copies)
        ],
        "origin": {"agency": origin, "article_id": f"{story}-ref", "basis": basis} if origin else None,
        "uncredited_agency_copy": [{"agency": a, "share": 0.85, "source_id": f"{story}-ref"} for a in uncredited],
    }
    return article_id.encode(), SyndicationRecord.model_validate(record).model_dump_json().encode(), []


async def test_dashboard_shows_top_stories_and_uncredited_shares_from_the_syndication_topic(
    deployment, chromium, tmp_path
):
    topic = f"syndication-{deployment.name}"
    await _create_topics(deployment.bootstrap, {topic: 2})
    now_ms = int(time.time() * 1000)
    # Written before the page is opened: read back from the start of the window (one hour), not before it.
    await produce(
        deployment.bootstrap,
        topic,
        [_syndication_record("stale-1", "s-old", copies=1, origin="Reuters", uncredited=["Reuters"])],
        timestamp_ms=now_ms - 2 * 3600 * 1000,
    )
    await produce(
        deployment.bootstrap,
        topic,
        [
            _syndication_record("heat-afp", "s-heat", origin="AFP", basis="credited"),
            _syndication_record("heat-1", "s-heat", copies=1, origin="AFP", uncredited=["AFP"]),
            _syndication_record("port-dpa", "s-port", origin="dpa", basis="credited"),
            _syndication_record("port-1", "s-port", copies=1, origin="dpa", basis="credited"),
        ],
    )
    worker = deployment.worker(WIRESTREAM_TOPIC_SYNDICATION=topic).wait_ready()
    try:
        async with async_playwright() as pw:
            context = await pw.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=chromium, args=CHROMIUM_FLAGS, headless=True,
                viewport={"width": 1280, "height": 1100},
            )  # fmt: skip
            page = await context.new_page()
            await page.goto(f"http://127.0.0.1:{worker.port}/dashboard")
            await expect(page.locator("#syndication-status")).to_contain_text(f"{topic}: following", timeout=30_000)
            stories = page.locator("#top-stories tbody tr")
            await expect(stories).to_have_count(2, timeout=15_000)
            await expect(page.locator("#uncredited tbody tr").first).to_have_text(re.compile(r"^AFP\s*1\s*2\s*50%"))
            await expect(page.locator("#top-stories")).not_to_contain_text("s-old")

            # Written while the page is open, by any number of stage workers: the heatwave story
            # takes the lead with three copies, two of them without AFP's credit.
            await produce(
                deployment.bootstrap,
                topic,
                [
                    _syndication_record("heat-2", "s-heat", copies=1, origin="AFP", uncredited=["AFP"]),
                    _syndication_record("heat-3", "s-heat", copies=2, origin="AFP", basis="credited"),
                    _syndication_record("port-2", "s-port", copies=1, origin="dpa", uncredited=["dpa"]),
                    _syndication_record("heat-1", "s-heat", copies=1, origin="AFP", uncredited=["AFP"]),  # again
                ],
            )
            await expect(stories.first).to_have_text(re.compile(r"^s-heat\s*AFP\s*3\s*4$"), timeout=15_000)
            await expect(stories.nth(1)).to_have_text(re.compile(r"^s-port\s*dpa\s*2\s*3$"))
            shares = page.locator("#uncredited tbody tr")
            await expect(shares.first).to_have_text(re.compile(r"^AFP\s*2\s*4\s*50%"))
            await expect(shares.nth(1)).to_have_text(re.compile(r"^dpa\s*1\s*3\s*33%"))
            await expect(page.locator("#uncredited")).not_to_contain_text("Reuters")
            await expect(page.locator(".syndication-window").first).to_have_text("last hour")

            SYNDICATION_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SYNDICATION_SCREENSHOT), full_page=True)
            await context.close()
    finally:
        code = worker.terminate()
    assert code == 0, worker.logs[-3000:]  # the topic's reader stops with the worker
    assert "Task was destroyed" not in worker.logs
