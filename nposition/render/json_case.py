"""The JSON of `show`, `explain`, `check`, `validate` and `import-genius`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nposition.model.case import RuleKind, number
from nposition.render.json import Json, package

if TYPE_CHECKING:
    from nposition.formats.genius_import import ImportSummary
    from nposition.model.case import Case, Issue, Party, Rule, Source
    from nposition.reports.checks import CheckReport, Outcome
    from nposition.reports.explain import Explanation, PartyExplanation, RuleCheck
    from nposition.reports.show import IssuesView, PartyView
    from nposition.reports.validation import Validation


def explanation(e: Explanation) -> Json:
    """A (partial) package and every rule of every party checked against it."""
    return {
        "case": e.case,
        "scenario": e.scenario,
        "package": package(e.package),
        "free": list(e.free),
        "not_applicable": list(e.not_applicable),
        "completions": e.completions,
        "accepted_by_all": e.accepted_by_all,
        "parties": [_party_explanation(p) for p in e.parties],
    }


def _party_explanation(p: PartyExplanation) -> Json:
    return {
        "id": p.id,
        "name": p.name,
        "accepted": p.accepted,
        "utility": None if p.utility is None else number(p.utility),
        "rules": [_rule_check(c) for c in p.checks],
    }


def _rule_check(c: RuleCheck) -> Json:
    r = c.rule
    return {
        "rule": r.key,
        "kind": r.kind.value,
        "text": r.text,
        "require": r.require.text if r.require else None,
        "when": r.when.text if r.when else None,
        "status": c.status.value,
        "broken_in": c.broken_in,
        "level": c.level,
        "score": None if c.score is None else number(c.score),
        "source": source(r.source),
    }


def source(s: Source) -> Json:
    """A rule's source."""
    return {
        "who": s.who,
        "date": s.date,
        "where": s.where,
        "quote": s.quote,
        "paraphrase": s.paraphrase,
        "document": s.document,
        "url": s.url,
    }


def issues_view(v: IssuesView) -> Json:
    """The case's issues, parties and documents (the parties' rules are under `show PARTY`)."""
    case: Case = v.case
    return {
        "case": case.id,
        "title": case.title,
        "description": case.description,
        "size": v.size,
        "issues": [_issue(i) for i in case.issues],
        "parties": [
            {
                "id": p.id,
                "name": p.name,
                "as_of": p.as_of,
                "red_lines": len(p.red_lines),
                "preferences": len(p.preferences),
            }
            for p in case.parties
        ],
        "documents": [
            {"id": d.id, "title": d.title, "date": d.date, "note": d.note} for d in case.documents
        ],
        "status_quo": None if v.status_quo is None else package(v.status_quo),
        "constraints": [
            {
                "id": c.id,
                "text": c.text,
                "require": c.require.text,
                "source": None if c.source is None else source(c.source),
            }
            for c in case.constraints
        ],
    }


def _issue(i: Issue) -> Json:
    return {
        "id": i.id,
        "title": i.title,
        "ordered": i.ordered,
        "description": i.description,
        "applies_when": i.applies_when.text if i.applies_when else None,
        "options": [
            {
                "id": o.id,
                "label": o.label,
                **({} if o.value is None else {"value": number(o.value)}),
            }
            for o in i.options
        ],
    }


def party_view(v: PartyView) -> Json:
    """A party and its rules."""
    p: Party = v.party
    return {
        "id": p.id,
        "name": p.name,
        "as_of": p.as_of,
        "reservation": None if p.reservation is None else number(p.reservation),
        "rules": [_rule(r, v.issues) for r in p.rules],
    }


def _rule(r: Rule, issues: Sequence[Issue]) -> Json:
    out: Json = {"id": r.id, "key": r.key, "kind": r.kind.value, "text": r.text}
    out["require"] = r.require.text if r.require else None
    out["when"] = r.when.text if r.when else None
    if r.kind is RuleKind.RED_LINE:
        out["cost"] = number(r.cost)
        out["fallbacks"] = [
            {
                "level": k,
                "require": f.require.text,
                "cost": number(f.cost),
                "text": f.text,
                "source": None if f.source is None else source(f.source),
            }
            for k, f in enumerate(r.fallbacks, 1)
        ]
    else:
        out["weight"] = number(r.weight)
        out["scores"] = None if r.scores is None else _scores(r, issues)
    out["source"] = source(r.source)
    return out


def _scores(r: Rule, issues: Sequence[Issue]) -> Json:
    """A value function as `{issue, options: {option: score}}`, as the party file writes it."""
    assert r.scores is not None
    issue = issues[r.scores.issue]
    return {
        "issue": issue.id,
        "options": {
            o.id: number(s) for o, s in zip(issue.options, r.scores.scores, strict=False) if s
        },
    }


def check_report(r: CheckReport) -> Json:
    """Every expectation with its outcome, and the counts."""
    return {
        "case": r.case,
        "file": r.file,
        "passed": r.passed,
        "failed": r.failed,
        "checks": [_outcome(o) for o in r.outcomes],
    }


def _outcome(o: Outcome) -> Json:
    e = o.expectation
    return {
        "id": e.id,
        "scenario": e.scenario,
        "kind": e.kind.value,
        "passed": o.passed,
        "expected": o.expected,
        "found": o.found,
        "because": e.because,
    }


def validation(v: Validation) -> Json:
    """Every problem found, located, and the counts."""
    return {
        "case": v.case,
        "ok": v.errors == 0,
        "errors": v.errors,
        "warnings": v.warnings,
        "problems": [
            {
                "file": p.location.path,
                "line": p.location.line,
                "column": p.location.column,
                "severity": p.severity.value,
                "message": p.message,
                "detail": p.detail,
            }
            for p in v.problems
        ],
    }


def import_summary(s: ImportSummary) -> Json:
    """What import-genius wrote."""
    return {
        "case": s.case,
        "out": s.out,
        "issues": list(s.issues),
        "parties": list(s.parties),
        "size": s.size,
        "notes": list(s.notes),
    }
