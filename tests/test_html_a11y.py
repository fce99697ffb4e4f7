"""records.html passes axe-core at WCAG 2.2 AA with zero violations, in headless Chromium.

Needs Debian's `chromium` and npm (axe-core is installed into tests/.node/, which ignores itself in git).
Skips with the reason when either is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest

from sarkit.decide.rules import load_rules
from sarkit.models import Manifest, Person
from sarkit.render.records import RecordDoc, build_records

NODE_DIR = Path(__file__).resolve().parent / ".node"
AXE = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (Debian package `chromium`)")


def _axe() -> Path:
    if AXE.is_file():
        return AXE
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("npm is not available to install axe-core")
    NODE_DIR.mkdir(exist_ok=True)
    (NODE_DIR / ".gitignore").write_text("*\n", encoding="utf-8")
    proc = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(NODE_DIR), "axe-core@4"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0 or not AXE.is_file():
        pytest.skip("axe-core could not be installed with npm: " + (proc.stderr.strip().splitlines() or ["?"])[-1])
    return AXE


def _case(staging: Path) -> None:
    (staging / "documents").mkdir()
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(
        [
            "The CLA review was chaired by the IRO.",
            "Mary Smith from CAMHS rang about s.47.",
            "The pathway plan was agreed with the PA.",
        ]
    ):
        page.insert_text((72, 90 + 18 * i), line, fontsize=11)
    reds = []
    for w in page.get_text("words"):
        if w[4] in ("Mary", "Smith"):
            r = pymupdf.Rect(w[:4]) + (-1, 2, 1, -2)
            page.add_redact_annot(r, text="TP", fontsize=6, fill=(0.82, 0.82, 0.82))
            reds.append((0, tuple(r), "TP"))
    page.apply_redactions()
    doc.save(staging / "documents" / "2013-05-01 Case Note.pdf")
    scan = pymupdf.open()
    sp = scan.new_page()
    sp.insert_text((72, 100), "Contact with Mum went well.", fontsize=14)
    pix = sp.get_pixmap(dpi=72)
    img = pymupdf.open()
    ip = img.new_page()
    ip.insert_image(ip.rect, pixmap=pix)
    ip.insert_text((72, 100), "Contact with Mum went well.", fontsize=14, render_mode=3)
    img.save(staging / "documents" / "2014-01-01 Scan.png.pdf")
    manifest = Manifest(
        Path("case.yaml"),
        1,
        "SAR-2026-0001",
        dt.date(2026, 1, 5),
        "uk-dpa2018",
        (Person("jane", "Jane Doe", "subject"),),
    )
    build_records(
        staging,
        [
            RecordDoc("documents/2013-05-01 Case Note.pdf", "Case Note", None, "pdf", tuple(reds)),
            RecordDoc("documents/2014-01-01 Scan.png.pdf", "Scan", None, "image", (), (0,)),
        ],
        manifest,
        load_rules("uk-dpa2018"),
        None,
        today=dt.date(2026, 1, 20),
        ocr=False,
    )


RUNNER = """<script>{axe}</script>
<script>
function sarkitReport(value) {{
  const pre = document.createElement("pre"); pre.id = "axe-result"; pre.textContent = JSON.stringify(value);
  document.body.appendChild(pre);
  if (window.parent !== window) window.parent.postMessage(JSON.stringify(value), "*");
}}
axe.run(document, {{runOnly: {{type: "tag", values: {tags}}}, resultTypes: ["violations"]}})
  .then(r => sarkitReport({{
    violations: r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}})),
    width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth}}))
  .catch(e => sarkitReport({{error: String(e)}}));
</script>"""

# a page narrower than headless Chromium's smallest window (500 px) is shown in a frame of that width
FRAME = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>frame</title></head><body style="margin:0">
<iframe id="f" title="records" style="width:{width}px;height:900px;border:0"></iframe>
<script>
window.addEventListener("message", e => {{
  const pre = document.createElement("pre"); pre.id = "axe-result"; pre.textContent = e.data;
  document.body.appendChild(pre); }});
document.getElementById("f").srcdoc = {page};
</script></body></html>"""


def _run_axe(
    chromium: str, axe: Path, page_html: str, tmp: Path, dark: bool, width: int = 1280, scale: int = 1
) -> dict:
    """axe-core's violations on the page in a viewport `width` CSS pixels wide at device scale `scale` (200%
    zoom of a 1280-pixel window: 640 at 2), and how wide the page's content is (scrollWidth)."""
    runner = RUNNER.format(axe=axe.read_text(encoding="utf-8"), tags=json.dumps(TAGS))
    page = page_html.replace("</body>", runner + "\n</body>")
    name = f"axe-{'dark' if dark else 'light'}-{width}-{scale}"
    test_page = tmp / f"{name}.html"
    if width < 500:
        test_page.write_text(FRAME.format(width=width, page=json.dumps(page).replace("</", "<\\/")), encoding="utf-8")
    else:
        test_page.write_text(page, encoding="utf-8")
    args = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp / ('profile-' + name)}",
        f"--window-size={max(width, 500)},900",
        f"--force-device-scale-factor={scale}",
        "--virtual-time-budget=20000",
        "--dump-dom",
        test_page.as_uri(),
    ]
    if dark:
        args.insert(1, "--force-dark-mode")
        args.insert(1, "--blink-settings=preferredColorScheme=0")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=240, check=False)
    m = re.search(r'<pre id="axe-result">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert m, f"axe produced no result (chromium exit {proc.returncode}): {proc.stderr[-500:]}"
    import html as htmlmod

    return json.loads(htmlmod.unescape(m.group(1)))


VIEWS = [(1280, 1), (640, 2), (320, 1)]  # 1280 px; 200 % zoom of 1280 px; 320 px (400 % zoom)
VIEW_IDS = ["1280px", "200pc", "320px"]


def _check(result: dict, width: int) -> None:
    assert "error" not in result, result
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)
    assert result["width"] == width
    assert result["scrollWidth"] <= result["width"], f"scrolls sideways: {result['scrollWidth']} > {width} px"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width,scale", VIEWS, ids=VIEW_IDS)
def test_records_html_has_no_axe_violations(tmp_path, dark, width, scale):
    chromium = _chromium()
    axe = _axe()
    _case(tmp_path)
    page_html = (tmp_path / "records.html").read_text(encoding="utf-8")
    _check(_run_axe(chromium, axe, page_html, tmp_path, dark, width, scale), width)


@pytest.mark.parametrize("width,scale", VIEWS, ids=VIEW_IDS)
@pytest.mark.parametrize("name", ["example", "generated", "dev-s1-c03"])
def test_bundled_records_html_has_no_axe_violations(tmp_path, paper_bundles, name, width, scale):
    chromium = _chromium()
    axe = _axe()
    page_html = (paper_bundles(name) / "bundle" / "records.html").read_text(encoding="utf-8")
    _check(_run_axe(chromium, axe, page_html, tmp_path, False, width, scale), width)


def test_source_tables_and_headings_are_kept(paper_bundles):
    """A table and a heading of a Word document and of a PDF come out as a table with header cells and as
    headings (tests/paper_cases.py builds them)."""
    page = (paper_bundles("generated") / "bundle" / "records.html").read_text(encoding="utf-8")

    def text(fragment: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())

    tables = re.findall(r"<table>(.*?)</table>", page, re.DOTALL)
    heads = [[text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', t)] for t in tables]
    assert ["Date", "Who came", "How it went"] in heads  # the PDF's ruled table
    assert ["Name", "Relationship", "Notes"] in heads  # the Word document's table
    rows = {text(r) for t in tables for r in re.findall(r"<tr>(.*?)</tr>", t)}
    assert "01/03/2015 Kai and Mum Contact with Mum went well" in rows  # rows kept in order
    headings = {text(h) for h in re.findall(r'<h[56] class="in-doc">(.*?)</h[56]>', page)}
    assert {"Contact Log", "Home visit", "Next steps"} <= headings
    assert "Kai was seen at home." not in headings  # a plain paragraph stays a paragraph
