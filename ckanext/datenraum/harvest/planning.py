"""Which harvested items to import and which datasets to withdraw (pure logic).

The mass-withdrawal guard lives here: when a run would withdraw more than ``threshold`` of the
datasets a source currently has, nothing is withdrawn and the reason is reported, because a
partner that suddenly lists far fewer records is far more often broken than emptied.
"""

from __future__ import annotations

import dataclasses

from ckanext.datenraum.harvest import messages


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
            plan.guard_message = messages.GUARD_TRIPPED.format(
                missing=len(missing),
                current=len(current),
                share=f"{share:.0%}",
                threshold=f"{threshold:.0%}",
            )
            return plan
    plan.withdraw = missing
    return plan


@dataclasses.dataclass
class Settled:
    items: list[Item]
    present: set[str]
    moves: dict[str, str]  # guid the source knew → the guid the partner now uses
    notes: dict[str, list[str]]  # guid → what was settled for it


def settle_identifiers(
    items: list[Item], present: set[str], current_identifiers: dict[str, str]
) -> Settled:
    """One dataset per ``dct:identifier`` within a source (issue 12 item 7).

    - Two items of this run with the same identifier: the one the source already has (else
      the smaller guid, so the choice does not depend on the partner's order) is kept; the
      other guid no longer counts as present, so a dataset an earlier run made for it is
      withdrawn instead of staying a duplicate.
    - A new guid whose identifier belongs to a dataset whose guid the partner no longer lists
      is the same record under a new URI: it moves to the new guid (``moves``), is updated,
      and the old guid is neither a duplicate nor a withdrawal that trips the guard.

    ``current_identifiers``: guid → identifier of the datasets the source currently has.
    """
    by_identifier: dict[str, Item] = {}
    dropped: set[str] = set()
    notes: dict[str, list[str]] = {}
    for item in items:
        identifier = item.dataset.get("identifier")
        if not identifier:
            continue
        kept = by_identifier.get(identifier)
        if kept is None:
            by_identifier[identifier] = item
            continue
        if _preferred(item.guid, kept.guid, current_identifiers):
            by_identifier[identifier], item, kept = item, kept, item
        dropped.add(item.guid)
        notes.setdefault(kept.guid, []).append(
            f"identifier: {identifier!r} is also listed as {item.guid}; kept once"
        )
    kept_items = [item for item in items if item.guid not in dropped]
    owner_of = {identifier: guid for guid, identifier in current_identifiers.items()}
    moves = {}
    for item in kept_items:
        old_guid = owner_of.get(item.dataset.get("identifier") or "")
        if (
            old_guid
            and old_guid != item.guid
            and item.guid not in current_identifiers
            and old_guid not in present
            and old_guid not in moves
        ):
            moves[old_guid] = item.guid
            notes.setdefault(item.guid, []).append(
                f"uri: the partner moved this record from {old_guid}"
            )
    return Settled(kept_items, present - dropped, moves, notes)


def _preferred(guid: str, other: str, current_identifiers: dict[str, str]) -> bool:
    """Whether ``guid`` rather than ``other`` keeps an identifier both carry."""
    known, other_known = guid in current_identifiers, other in current_identifiers
    return known and not other_known or (known == other_known and guid < other)
