"""The decision engine: a mention and the person it is about → a proposal.

Small on purpose: it computes facts about the person and the mention, takes the
first matching class of the rule set, then applies the modifiers in order.
It knows no role by name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from ..models import Manifest, Mention, Person, Proposal
from .rules import RULE_JOIN, Condition, RuleSet


def proposal_id(m: Mention) -> str:
    """Stable id: the same mention of the same person in the same document gets the same id on every run."""
    who = m.person or (f"?{m.unregistered}" if m.unregistered else "-")
    key = f"{m.doc}|{m.page}|{m.start}|{m.end}|{m.kind}|{who}|{m.qualifier}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def facts(m: Mention, person: Person | None, manifest: Manifest) -> dict[str, Any]:
    subject = manifest.subject
    f: dict[str, Any] = {
        "registered": person is not None,
        "named": person is not None or m.unregistered is not None,
        "kind": m.kind,
        "qualifier": m.qualifier or "",
    }
    if person is not None:
        f.update(
            group=person.group,
            of_subject=person.of in (None, subject.id),
            known=person.known,
            referrer=person.referrer,
            deceased=person.deceased,
            risk=person.risk,
            consent=person.consent,
        )
    return f


def _matches(conds: tuple[Condition, ...], f: dict[str, Any]) -> bool:
    return all(c.fact in f and f[c.fact] in c.values for c in conds)


def _describe(person: Person | None, manifest: Manifest) -> tuple[str, str, tuple[str, ...]]:
    if person is None:
        return "Unregistered person", "unregistered", ()
    path = manifest.relation_path(person.id)
    role = person.role.replace("-", " ")
    relation = " → ".join(p.replace("-", " ") for p in path)
    return role[:1].upper() + role[1:], relation, path


def decide_one(m: Mention, manifest: Manifest, rules: RuleSet, people: dict[str, Person] | None = None) -> Proposal:
    people = people if people is not None else {p.id: p for p in manifest.people}
    person = people.get(m.person) if m.person else None
    f = facts(m, person, manifest)
    cls = next((c for c in rules.classes if _matches(c.when, f)), None)
    if cls is None:  # a rule set that does not cover a case: be safe, ask a person
        action, code, rule, why_t = "review", None, "no-rule", "No rule of the rule set covers this: {kind} for review."
    else:
        action, code, rule, why_t = cls.action(m.kind, f["qualifier"]), cls.code, cls.id, cls.why
    for mod in rules.modifiers:
        if not _matches(mod.when, f):
            continue
        new, applies = action, False
        for kind, a in mod.set:
            if kind in ("all", m.kind):
                new, applies = a, True
        if new in dict(mod.change):
            new, applies = dict(mod.change)[new], True
        if applies:
            rule, why_t = f"{rule}{RULE_JOIN}{mod.id}", mod.why
        action = new
    role, relation, path = _describe(person, manifest)
    if action == "keep":
        code_s, basis = None, ""
    else:
        code_s = code or rules.default_code(m.kind)
        basis = rules.code(code_s).basis
    verb = {"keep": "kept", "redact": "redacted", "review": "for review"}[action]
    why = why_t.format(role=role, kind=m.kind, action=verb, relation=relation)
    return Proposal(proposal_id(m), m, action, code_s, basis, rule, why, path)


def decide(mentions: Iterable[Mention], manifest: Manifest, rules: RuleSet) -> list[Proposal]:
    people = {p.id: p for p in manifest.people}
    return [_decide_shared(m, manifest, rules, people) for m in mentions]


def _decide_shared(m: Mention, manifest: Manifest, rules: RuleSet, people: dict[str, Person]) -> Proposal:
    """A name several registered people share (a surname) is kept when any of them keeps their name:
    it then says nothing about the others that the kept name does not already say."""
    first = decide_one(m, manifest, rules, people)
    if m.kind != "name" or len(m.candidates) < 2 or m.qualifier == "withheld" or first.action == "keep":
        return first
    for pid in m.candidates:
        if pid == m.person or pid not in people:
            continue
        alt = decide_one(replace(m, person=pid), manifest, rules, people)
        if alt.action == "keep":
            who = people[pid].role.replace("-", " ")
            return replace(
                first,
                action="keep",
                code=None,
                basis="",
                rule=f"{first.rule}{RULE_JOIN}shared-name",
                why=f"A name this person shares with the {who}, whose name is kept: kept.",
            )
    return first


def _value_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


CHILDHOOD_AGE = 16  # below this age the requester lived with family or carers: "their" address was the household's
HOUSEHOLD_DETECTORS = ("id.address", "id.postcode")


def childhood_home(
    proposals: Iterable[Proposal], doc_dates: Mapping[str, dt.date | None], manifest: Manifest, rules: RuleSet
) -> list[Proposal]:
    """An address tied to the requester in a record from their childhood is the home they shared.

    A child lives with parents or carers: the address of a referral or an assessment is the family's
    home, where a parent may live still. It is proposed as the family's contact detail (redacted);
    the requester's own address as an adult (a pathway plan at 17, say) stays theirs. Needs the
    subject's date of birth and a date for the document; without either, nothing changes.
    Returns the changed proposals.
    """
    subject = manifest.subject
    if subject.born is None:
        return []
    try:
        grown = subject.born.replace(year=subject.born.year + CHILDHOOD_AGE)
    except ValueError:  # born on 29 February
        grown = subject.born.replace(year=subject.born.year + CHILDHOOD_AGE, day=28)
    code = rules.default_code("contact")
    changed = []
    for p in proposals:
        m = p.mention
        when = doc_dates.get(m.doc)
        if (
            m.person == subject.id
            and m.kind == "contact"
            and m.detector in HOUSEHOLD_DETECTORS
            and p.action == "keep"
            and when is not None
            and when < grown
        ):
            changed.append(
                replace(
                    p,
                    action="redact",
                    code=code,
                    basis=rules.code(code).basis,
                    rule=f"{p.rule}{RULE_JOIN}childhood-home",
                    why="The home the requester shared as a child, where family may still live: redacted.",
                )
            )
    return changed


# Named places (a school, a children's home) as opposed to addresses: the requester's own stays theirs even where
# the same place is tied to someone else (a worker there, another child placed there).
OWN_PLACE_DETECTORS = ("contact.place",)


def harmonise(
    proposals: Iterable[Proposal], subject: str | None = None, homes: frozenset[str] = frozenset()
) -> list[Proposal]:
    """Across the whole case, one detail gets one answer.

    The same address may sit on the subject's row of one table and be the mother's in another
    document: a contact detail or identifier withheld where it is tied to someone is withheld
    everywhere. A detail that nothing ties to a person (redacted to be safe) is kept when it is
    tied elsewhere to a person whose detail is kept (a social worker's office number, say). A named place
    kept as the requester's own (their school, their children's home) is kept wherever it is tied to
    someone else too (OWN_PLACE_DETECTORS; `subject` is the requester's id), unless it is also tied to one of
    `homes`, the people whose named place is their private home (a foster family's farm where the requester
    was placed is the carers' home, withheld everywhere). Returns the changed proposals.
    """
    proposals = [p for p in proposals if p.mention.kind in ("contact", "identifier")]
    withheld: dict[str, Proposal] = {}
    kept: dict[str, Proposal] = {}
    own = {  # a named place kept as the requester's own (their school, their children's home): theirs everywhere
        _value_key(p.mention.text)
        for p in proposals
        if p.mention.detector in OWN_PLACE_DETECTORS and p.action == "keep" and subject and p.mention.person == subject
    }
    own -= {_value_key(p.mention.text) for p in proposals if p.mention.person in homes}
    for p in proposals:
        key = _value_key(p.mention.text)
        if len(key) < 4 or (p.mention.person is None and p.mention.unregistered is None):
            continue
        (kept if p.action == "keep" else withheld).setdefault(key, p)
    changed = []
    for p in proposals:
        key = _value_key(p.mention.text)
        unattributed = p.mention.person is None and p.mention.unregistered is None
        if key in own and p.mention.detector in OWN_PLACE_DETECTORS:
            if p.action != "keep":
                changed.append(
                    replace(
                        p,
                        action="keep",
                        code=None,
                        basis="",
                        rule=f"{p.rule}{RULE_JOIN}own-place",
                        why="The requester's own school or placement, as elsewhere in the case: kept.",
                    )
                )
            continue
        if p.action == "keep" and key in withheld:
            src = withheld[key]
            changed.append(
                replace(
                    p,
                    action="redact",
                    code=src.code,
                    basis=src.basis,
                    rule=f"{p.rule}{RULE_JOIN}same-value",
                    why="The same detail is withheld elsewhere in the case, where it is someone else's: redacted.",
                )
            )
        elif p.action != "keep" and unattributed and key in kept and key not in withheld:
            changed.append(
                replace(
                    p,
                    action="keep",
                    code=None,
                    basis="",
                    rule=f"{p.rule}{RULE_JOIN}same-value",
                    why=f"The same detail is kept elsewhere in the case ({kept[key].why.rstrip('.')}): kept.",
                )
            )
    return changed
