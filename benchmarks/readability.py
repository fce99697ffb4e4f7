"""Flesch reading ease of the bundle's own words (cover letter, notes, guide, own-account page).

Renders every template in templates/ with the demo authority settings, for paper (records.pdf) and for
the screen (records.html), on time and after the deadline, and prints each score. Each must score at
least 60 ("plain English"); the exit status is 1 if one does not.

    .venv/bin/python benchmarks/readability.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sarkit.decide.rules import load_rules
from sarkit.render.letters import TEMPLATES, effective_settings, greeting, render, signature
from sarkit.render.readability import flesch, plain_text
from sarkit.render.records import short_reason

TARGET = 60.0


def main() -> int:
    rules = load_rules("uk-dpa2018")
    codes = [
        {"code": c.code, "plain": c.plain, "count": 2, "short": short_reason(c.plain, c.code)}
        for c in rules.codes
        if not c.reviewer_only
    ]
    settings = effective_settings(None)
    values = {
        "requester": "Jordan Pryce",
        "greeting": greeting("Jordan Pryce", settings),
        "signature": signature(settings),
        "deadline": "2 April 2026",
        "reference": "SAR-2026-0917",
        "today": "2 March 2026",
        "documents": 6,
        "pages": 23,
        "redactions": 6,
        "codes": codes,
    }
    ok = True
    print(f"{'text':<18} {'for':<7} {'late':<5} {'words':>6} {'score':>6}")
    for name in TEMPLATES:
        for paper in (True, False):
            for overdue in (False, True):
                text = plain_text(render(name, settings, paper=paper, overdue=overdue, **values))
                score = flesch(text)
                ok &= score >= TARGET
                print(
                    f"{name:<18} {'paper' if paper else 'screen':<7} {'yes' if overdue else 'no':<5} "
                    f"{len(text.split()):>6} {score:>6.1f}{'' if score >= TARGET else '  < 60'}"
                )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
