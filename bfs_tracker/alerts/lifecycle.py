"""How stored alerts follow what the data calls for: which to keep (moved, updated or re-opened), which to create
and which to withdraw. Pure, so every case is tested without a database; alerts/services.py applies the plan.

An alert is matched to a finding first by rule and date. For rules over several days (persistent weakness) an alert
that is still live may also follow its finding to a new date, when the finding's days overlap the days the alert
rested on, or when the alert's date lies within the finding's period: back-filling an earlier day moves the alert
to the day the rule was now first met, and unticking one of its days moves it to the next day that still meets
it, instead of withdrawing it and raising a new one. An alert kept this way keeps its status, so one the person has
read stays read while its evidence changes. A withdrawn alert comes back only on its own date, and then opens
again. Live alerts no finding wants are withdrawn, never deleted.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from bfs_tracker.alerts.rules import Finding

WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Stored:
    """What the plan needs to know of a stored alert."""

    key: int
    rule_id: str
    date: dt.date
    status: str
    evidence: frozenset[dt.date] = frozenset()

    @property
    def live(self) -> bool:
        return self.status != WITHDRAWN


@dataclass
class Plan:
    keep: list[tuple[Stored, Finding]] = field(default_factory=list)  # update the alert to the finding
    create: list[Finding] = field(default_factory=list)
    withdraw: list[Stored] = field(default_factory=list)


def reconcile(findings: Iterable[Finding], stored: Iterable[Stored], *, period: dt.timedelta | None = None) -> Plan:
    """Match stored alerts to findings. `period` (persistent weakness only) lets a live alert follow its finding to
    another date; without it, alerts are matched by rule and date alone.

    The result depends only on the findings and the stored alerts, not on their order.
    """
    stored = sorted(stored, key=lambda s: (s.rule_id, s.date))
    by_key = {(s.rule_id, s.date): s for s in stored}
    plan = Plan()
    used: set[int] = set()
    rest: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.rule_id, f.date)):
        match = by_key.get((finding.rule_id, finding.date))
        if match is None:
            rest.append(finding)
        else:
            plan.keep.append((match, finding))
            used.add(match.key)
    if period is not None:
        rest = _follow(rest, [s for s in stored if s.live and s.key not in used], period, plan, used)
    plan.create = rest
    plan.withdraw = [s for s in stored if s.live and s.key not in used]
    return plan


def _follow(
    findings: list[Finding], live: list[Stored], period: dt.timedelta, plan: Plan, used: set[int]
) -> list[Finding]:
    """Pair live alerts with findings at other dates, best pairs first; returns the findings left unpaired.

    Best means: the alert's date lies in the finding's period (then, when only days are added, every alert pairs
    with the finding that now holds its date, so back-filling never withdraws anything), then the most days in
    common, then the nearest date.
    """
    candidates = []
    for index, finding in enumerate(findings):
        evidence = set(finding.evidence)
        for alert in live:
            if alert.rule_id != finding.rule_id:
                continue
            inside = finding.date <= alert.date < finding.date + period
            common = len(evidence & alert.evidence)
            if inside or common:
                rank = (not inside, -common, abs((alert.date - finding.date).days), alert.date, finding.date)
                candidates.append((rank, index, alert))
    paired: set[int] = set()
    for _rank, index, alert in sorted(candidates, key=lambda c: (c[0], c[1])):
        if index in paired or alert.key in used:
            continue
        plan.keep.append((alert, findings[index]))
        paired.add(index)
        used.add(alert.key)
    return [finding for index, finding in enumerate(findings) if index not in paired]
