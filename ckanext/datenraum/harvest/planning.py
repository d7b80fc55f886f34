"""Which harvested items to import and which datasets to withdraw (pure logic).

The mass-withdrawal guard lives here: when a run would withdraw more than ``threshold`` of the
datasets a source currently has, nothing is withdrawn and the reason is reported, because a
partner that suddenly lists far fewer records is far more often broken than emptied.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Item:
    guid: str
    dataset: dict
    fingerprint: str


@dataclasses.dataclass(frozen=True)
class Current:
    package_id: str | None
    fingerprint: str | None


@dataclasses.dataclass
class Plan:
    imports: list[Item] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    withdraw: list[str] = dataclasses.field(default_factory=list)
    duplicates: list[str] = dataclasses.field(default_factory=list)
    guard_message: str | None = None


def plan_harvest(
    current: dict[str, Current],
    items: list[Item],
    *,
    present: set[str],
    threshold: float,
) -> Plan:
    """Compare a run's ``items`` with the ``current`` state of the source.

    ``present`` are all guids the partner still lists (including records that could not be
    read this time and records it marks deleted are not in it), so unreadable records are
    never withdrawn.
    """
    plan = Plan()
    seen: set[str] = set()
    for item in items:
        if item.guid in seen:
            plan.duplicates.append(item.guid)
            continue
        seen.add(item.guid)
        known = current.get(item.guid)
        if known is not None and known.fingerprint == item.fingerprint:
            plan.unchanged.append(item.guid)
        else:
            plan.imports.append(item)
    missing = sorted(guid for guid in current if guid not in present and guid not in seen)
    if missing and current:
        share = len(missing) / len(current)
        if share > threshold:
            plan.guard_message = (
                f"Mass-withdrawal guard: {len(missing)} of {len(current)} datasets "
                f"({share:.0%}) are missing at the partner, more than the threshold of "
                f"{threshold:.0%}; nothing was withdrawn"
            )
            return plan
    plan.withdraw = missing
    return plan
