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


def _run_axe(chromium: str, axe: Path, page_html: str, tmp: Path, dark: bool) -> dict:
    runner = f"""<script>{axe.read_text(encoding="utf-8")}</script>
<script>
axe.run(document, {{runOnly: {{type: "tag", values: {json.dumps(TAGS)}}}, resultTypes: ["violations"]}})
  .then(r => {{ const pre = document.createElement("pre"); pre.id = "axe-result";
    pre.textContent = JSON.stringify(r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}}))); document.body.appendChild(pre); }})
  .catch(e => {{ const pre = document.createElement("pre"); pre.id = "axe-result";
    pre.textContent = JSON.stringify({{error: String(e)}}); document.body.appendChild(pre); }});
</script>"""
    test_page = tmp / ("axe-dark.html" if dark else "axe.html")
    test_page.write_text(page_html.replace("</body>", runner + "\n</body>"), encoding="utf-8")
    args = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp / ('profile-dark' if dark else 'profile')}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        test_page.as_uri(),
    ]
    if dark:
        args.insert(1, "--force-dark-mode")
        args.insert(1, "--blink-settings=preferredColorScheme=0")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=180, check=False)
    m = re.search(r'<pre id="axe-result">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert m, f"axe produced no result (chromium exit {proc.returncode}): {proc.stderr[-500:]}"
    import html as htmlmod

    return json.loads(htmlmod.unescape(m.group(1)))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_records_html_has_no_axe_violations(tmp_path, dark):
    chromium = _chromium()
    axe = _axe()
    _case(tmp_path)
    page_html = (tmp_path / "records.html").read_text(encoding="utf-8")
    result = _run_axe(chromium, axe, page_html, tmp_path, dark)
    assert not isinstance(result, dict), result
    assert result == [], json.dumps(result, indent=1)
