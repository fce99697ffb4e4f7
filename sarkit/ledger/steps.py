"""The review's part of the ledger: person-level rules and review steps that undo can take back.

sarkit.review owns these tables; `Ledger` is the store (store.py) with them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..models import Decision
from .schema import REVIEW_SCHEMA, UNDECIDED, Placed, now
from .store import Store


class Ledger(Store):
    """The ledger of one case (see store.py), with the review's steps and person-level rules."""

    def ensure_review_schema(self) -> None:
        self.db.executescript(REVIEW_SCHEMA)

    def _prior_decision(self, pid: str) -> dict[str, Any] | None:
        r = self.db.execute("SELECT * FROM decisions WHERE proposal=? ORDER BY seq DESC LIMIT 1", (pid,)).fetchone()
        if r is None or r["action"] == UNDECIDED:
            return None
        return {k: r[k] for k in ("action", "code", "by", "at", "source", "note")}

    def decide_many(self, decisions: Sequence[Decision], *, actor: str, event: str, **data: Any) -> None:
        """Many decisions (a person-level decision, an import) in ONE committed transaction, with one audit event."""
        with self.transaction():
            self._insert_decisions(decisions)
            self.event(actor, event, decisions=len(decisions), **data)

    def record_step(
        self,
        reviewer: str,
        step: str,
        decisions: Sequence[Decision] = (),
        *,
        new_proposals: Sequence[Placed] = (),
        retire: Sequence[str] = (),
        person_rule: tuple[str, str, str, str | None] | None = None,
        **data: Any,
    ) -> int:
        """One review step in ONE committed transaction, recorded with what `undo_step` needs to take it back.

        `person_rule` is (person key, kind, action, code); `retire` marks proposals stale (a shrunk span, a
        person re-decided after being added to the register); `new_proposals` are stored without touching others.
        """
        with self.transaction() as db:
            prior = {d.proposal: self._prior_decision(d.proposal) for d in decisions}
            rule_seq = None
            if person_rule is not None:
                cur = db.execute(
                    "INSERT INTO person_rules(person, kind, action, code, by, at) VALUES(?,?,?,?,?,?)",
                    (*person_rule, reviewer, now()),
                )
                rule_seq = cur.lastrowid
            if new_proposals:
                run_row = db.execute("SELECT value FROM meta WHERE key='run'").fetchone()
                self._insert_proposals(new_proposals, int(run_row[0]) if run_row else 0)
            for pid in retire:
                db.execute("UPDATE proposals SET stale=1 WHERE id=?", (pid,))
            self._insert_decisions(decisions)
            payload = {
                "prior": prior,
                "new": [p.id for p, _, _ in new_proposals],
                "retired": list(retire),
                "rule": rule_seq,
                **data,
            }
            cur = db.execute(
                "INSERT INTO review_steps(reviewer, at, step, data) VALUES(?,?,?,?)",
                (reviewer, now(), step, json.dumps(payload, sort_keys=True, default=str)),
            )
            self.event(
                reviewer,
                "review-" + step,
                decisions=len(decisions),
                step=cur.lastrowid,
                **{k: v for k, v in data.items() if k in ("person", "kind", "action", "code", "role")},
            )
            return int(cur.lastrowid or 0)

    def last_step(self, reviewer: str) -> dict[str, Any] | None:
        r = self.db.execute(
            "SELECT * FROM review_steps WHERE reviewer=? AND undone=0 ORDER BY seq DESC LIMIT 1", (reviewer,)
        ).fetchone()
        if r is None:
            return None
        return {"seq": r["seq"], "at": r["at"], "step": r["step"], **json.loads(r["data"])}

    def undo_step(self, reviewer: str) -> dict[str, Any] | None:
        """Take back this reviewer's last step in ONE transaction: each decision it made is replaced by the one
        in force before it (or 'undecided'), proposals it created are retired, ones it retired come back."""
        with self.transaction() as db:
            step = self.last_step(reviewer)
            if step is None:
                return None
            at = now()
            rows = []
            for pid, prev in step["prior"].items():
                if prev is None:
                    rows.append(Decision(pid, UNDECIDED, None, reviewer, at, "undo"))
                else:
                    rows.append(
                        Decision(
                            pid, prev["action"], prev["code"], prev["by"], prev["at"], prev["source"], prev["note"]
                        )
                    )
            self._insert_decisions(rows)
            for pid in step["new"]:
                db.execute("UPDATE proposals SET stale=1 WHERE id=?", (pid,))
            for pid in step["retired"]:
                db.execute("UPDATE proposals SET stale=0 WHERE id=?", (pid,))
            if step["rule"] is not None:
                db.execute("UPDATE person_rules SET active=0 WHERE seq=?", (step["rule"],))
            db.execute("UPDATE review_steps SET undone=1 WHERE seq=?", (step["seq"],))
            self.event(reviewer, "review-undo", step=step["seq"], what=step["step"], decisions=len(rows))
            return step

    def person_rules(self) -> list[dict[str, Any]]:
        """Active person-level decisions, newest first."""
        return [dict(r) for r in self.db.execute("SELECT * FROM person_rules WHERE active=1 ORDER BY seq DESC")]

    def review_steps(self, reviewer: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM review_steps", []
        if reviewer is not None:
            sql += " WHERE reviewer=?"
            args.append(reviewer)
        return [
            {
                "seq": r["seq"],
                "reviewer": r["reviewer"],
                "at": r["at"],
                "step": r["step"],
                "undone": r["undone"],
                **json.loads(r["data"]),
            }
            for r in self.db.execute(sql + " ORDER BY seq", args)
        ]
