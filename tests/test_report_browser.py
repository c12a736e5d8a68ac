"""The report as a person sees it: rendered offline by headless Chromium (Debian's `chromium`,
installed by .ci/run), in light and dark mode and printed; the screenshot is not blank and the
DOM holds the content."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile

import pytest
from png_colours import png_colours
from report_story import AT, FORGOTTEN, record_story

CHROMIUM = shutil.which("chromium")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium(*args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def page(relledger, tmp_path):
    record_story(relledger)
    out = tmp_path / "umbrella.html"
    relledger.ok("report", "umbrella", "--at", AT, "-o", str(out))
    return out


def screenshot(tmp_path, html) -> tuple[int, int, set[bytes]]:
    png = tmp_path / "shot.png"
    chromium(f"--screenshot={png}", "--window-size=1280,2000", html.as_uri())
    return png_colours(png.read_bytes())


def test_the_page_renders_with_its_charts_and_is_not_blank(page, tmp_path):
    width, height, colours = screenshot(tmp_path, page)
    assert (width, height) == (1280, 2000) and len(colours) > 100
    painted = {c.hex()[:6] for c in colours}
    # the page, the high-advocate and high-detractor quadrants, a high-potential marker, the trend line
    assert {"ffffff", "eaf4ec", "fbeceb", "1a3f7a", "2f5f9e"} <= painted


def test_dark_mode_turns_the_page_dark(page, tmp_path):
    dark = tmp_path / "dark.html"
    dark.write_text(page.read_text("utf-8").replace('<html lang="en">', '<html lang="en" class="dark">'), "utf-8")
    _, _, colours = screenshot(tmp_path, dark)
    painted = {c.hex()[:6] for c in colours}
    assert {"12161c", "18281d", "2e1c1c"} <= painted and not {"eaf4ec", "fbeceb", "f4f6f9"} & painted


def test_the_dom_holds_every_contact_the_plan_and_the_charts(page):
    dom = chromium("--dump-dom", page.as_uri())
    for text in ("Alice Wong", "Bob Stone", "Dan Ruiz", "umbrella/carol", "Renew for three years",
                 "Executive dinner with the CFO", "⚠ late", "Gaps (4)", "Due (3)"):
        assert text in dom, text
    assert dom.count('<svg class="quadrant"') == 1 and '<svg class="trend"' in dom and '<svg class="timeline"' in dom
    assert FORGOTTEN[1] not in dom


def test_it_prints_on_a4(page, tmp_path):
    pdf = tmp_path / "umbrella.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and re.search(rb"/MediaBox \[0 0 59[45]\.?\d* 84[12]", data)
