"""The web client's first load on a mid-range phone, as deployed: ``python3 bench/web_first_load.py``.

A benchmark, not a test: it prints figures for a person (and an issue's closing note) to read. The local
stack serves the built client compressed, as CloudFront does (``Compress: true``); Debian's Chromium loads it
with the phone profile issue 29 names — 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, the CPU 4× slower
— and a cold cache, three times each, and reports the medians of:

* the JavaScript the page loads, in bytes on the wire (compressed) and unpacked;
* first contentful paint and largest contentful paint, from the browser's own performance entries.

Two pages: the sign-in page (the first anyone sees) and the catalogue (the first page once signed in). With
``--baseline`` it also builds the client as one chunk (no code splitting, as before issue 29) and measures
that, for comparison. Goals: ≤ 100 KB compressed JavaScript, FCP ≤ 1.8 s, LCP ≤ 2.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.e2e import conftest  # noqa: E402 - after the path that finds it
from tests.e2e.walk import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PHONE = {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
GOALS = {"js_kb": 100, "fcp_s": 1.8, "lcp_s": 2.5}
PAINTS = """() => new Promise((resolve) => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  let lcp = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) lcp = Math.max(lcp, e.startTime); })
    .observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(() => resolve({ fcp: fcp ? fcp.startTime : null, lcp }), 500);
})"""


def _one_load(browser: Any, base: str, *, signed_in: bool) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    if signed_in:  # sign in once (unthrottled), then measure a cold load of the catalogue
        page.goto(f"{base}/app/")
        page.click("[data-persona=anna]")
        page.wait_for_selector("[data-testid=signed-in-as]")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **PHONE})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    scripts: dict[str, str] = {}
    wire: dict[str, float] = {}
    cdp.on("Network.responseReceived", lambda e: scripts.update({e["requestId"]: e["type"]}))
    cdp.on("Network.loadingFinished", lambda e: wire.update({e["requestId"]: e["encodedDataLength"]}))
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.request.resource_type == "script" else None)
    if signed_in:
        page.reload(wait_until="load")
        page.wait_for_selector("a[href='#/forms/time-report']")
    else:
        page.goto(f"{base}/app/", wait_until="load")
        page.wait_for_selector("[data-persona=anna]")
    paints = page.evaluate(PAINTS)
    context.close()
    js_wire = sum(size for rid, size in wire.items() if scripts.get(rid) == "Script")
    return {
        "js_kb": js_wire / 1024,
        "js_raw_kb": sum(sizes) / 1024,
        "fcp_s": paints["fcp"] / 1000,
        "lcp_s": paints["lcp"] / 1000,
    }


def measure(runs: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, dict[str, float]] = {}
    with conftest.running_stack("--no-year") as http, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for name, signed_in in (("sign-in page", False), ("catalogue", True)):
            loads = [_one_load(browser, http.base, signed_in=signed_in) for _ in range(runs)]
            figures[name] = {key: statistics.median(load[key] for load in loads) for key in loads[0]}
        browser.close()
    return figures


def _one_chunk_build(out: Path) -> None:
    """The client as it was before issue 29's code splitting: every page in one script."""
    config = ROOT / "web" / ".one-chunk.config.mjs"  # beside node_modules, where its import resolves
    dist = repr(str(out / "dist"))
    # Every module in one chunk but the charts', which the statistics page already loaded on its own then.
    chunks = "(id) => (id.includes('chart.js') || id.includes('chartjs') ? 'charts' : 'index')"
    config.write_text(
        'import react from "@vitejs/plugin-react";\n'
        f"export default {{ base: './', plugins: [react()], build: {{ outDir: {dist}, emptyOutDir: true,"
        f" chunkSizeWarningLimit: 5000, rollupOptions: {{ output: {{ manualChunks: {chunks} }} }} }} }};\n"
    )
    try:
        command = ["npx", "vite", "build", "--config", str(config)]
        subprocess.run(command, cwd=ROOT / "web", check=True, capture_output=True)
    finally:
        config.unlink()


def report(title: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'page':<14} {'JS on the wire':>15} {'JS unpacked':>12} {'FCP':>7} {'LCP':>7}")
    for name, f in figures.items():
        print(f"{name:<14} {f['js_kb']:>12.1f} KB {f['js_raw_kb']:>9.1f} KB {f['fcp_s']:>6.2f}s {f['lcp_s']:>6.2f}s")
    worst = {key: max(f[key] for f in figures.values()) for key in GOALS}
    verdict = ", ".join(
        f"{key} {worst[key]:.2f} {'≤' if worst[key] <= goal else '>'} {goal}" for key, goal in GOALS.items()
    )
    print(f"goals: {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", action="store_true", help="also measure the one-chunk build, for comparison")
    args = parser.parse_args()
    subprocess.run(["npx", "vite", "build"], cwd=ROOT / "web", check=True, capture_output=True)
    report("as built (the form renderer, the desk and the statistics load when first opened)", measure(args.runs))
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            _one_chunk_build(Path(tmp))
            conftest.ENVIRONMENT_AT_START["EFORMS_WEB_DIST"] = str(Path(tmp) / "dist")
            report("one chunk (before issue 29)", measure(args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
