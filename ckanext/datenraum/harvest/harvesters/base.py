"""What all our harvesters share: gather collects items, planning decides, import applies.

A harvester only implements :meth:`DatenraumHarvesterMixin.collect`, yielding
:class:`~ckanext.datenraum.harvest.planning.Item` (a dataset dict in our schema) or
:class:`ItemProblem`. Everything else is here, once:

- a failure while collecting (partner down, slow, 500, malformed, huge, unsafe XML) is a gather
  error and ends the run without touching any dataset;
- unchanged items (same fingerprint as the current import) create no harvest object at all;
- records no longer listed are withdrawn, unless the mass-withdrawal guard trips;
- a record that cannot be read or imported is an object error; the job still finishes;
- duplicates by ``identifier`` across sources go to the source with the higher priority.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable

import ckan.lib.plugins as lib_plugins
import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.harvest.logic.schema import unicode_safe
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
    HarvestSource,
)

from ckanext.datenraum.common import parsed_dcat, slugs
from ckanext.datenraum.common.http import FetchError, FetchPolicy
from ckanext.datenraum.common.xml import UnsafeXML
from ckanext.datenraum.harvest import mapping, messages
from ckanext.datenraum.harvest.indexing import index_commit_deferred, with_index_retry
from ckanext.datenraum.harvest.planning import Current, Item, plan_harvest, settle_identifiers
from ckanext.datenraum.harvest.sources import (
    DEFAULT_PRIORITY,
    DEFAULT_WITHDRAWAL_GUARD,
    PRIORITY_BOUNDS,
)

log = logging.getLogger(__name__)

FINGERPRINT_KEY = "fingerprint"
NOTES_KEY = "datenraum_notes"
# Failures that mean "this run learnt nothing reliable about the partner's catalogue".
COLLECT_FAILURES = (FetchError, UnsafeXML, ValueError, UnicodeDecodeError)


class CollectFailed(Exception):
    """A harvester's collect step could not read the partner's catalogue."""


class ItemProblem:
    """A record the partner lists but we could not read; it is kept, never withdrawn."""

    def __init__(self, guid: str | None, message: str):
        self.guid = guid
        self.message = message


def source_config(source: HarvestSource) -> dict:
    try:
        config = json.loads(source.config or "{}")
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def make_item(dataset: dict, guid: str, config: dict) -> Item:
    notes = list(dataset.get(mapping.NOTES) or [])
    dataset = parsed_dcat.tidy(mapping.apply_source_settings(dataset, config), notes)
    dataset[mapping.NOTES] = sorted(set(notes))
    return Item(guid=guid, dataset=dataset, fingerprint=mapping.fingerprint(dataset))


class DatenraumHarvesterMixin:
    """Gather/fetch/import for harvesters that yield items; mixed into a ``HarvesterBase``."""

    NAME = ""
    TITLE = ""
    DESCRIPTION = ""

    # IHarvester

    def info(self):
        return {"name": self.NAME, "title": self.TITLE, "description": self.DESCRIPTION}

    def validate_config(self, config):
        if not config:
            return config
        parsed = json.loads(config)
        if not isinstance(parsed, dict):
            raise ValueError("config must be a JSON object")
        return config

    def collect(
        self, harvest_job, config: dict, policy: FetchPolicy
    ) -> Iterable[Item | ItemProblem]:
        raise NotImplementedError

    # Every stored error is a summary, whatever a partner's answer quoted into it.

    def _save_gather_error(self, message, job):
        HarvestGatherError.create(messages.summarised(message), job)

    def _save_object_error(self, message, obj, stage="Fetch", line=None):
        HarvestObjectError.create(messages.summarised(message), obj, stage, line)

    def gather_stage(self, harvest_job):
        with messages.stored_in_english():
            return self._gather(harvest_job)

    def _gather(self, harvest_job):
        source = harvest_job.source
        config = source_config(source)
        policy = FetchPolicy.from_source_config(config)
        items, problems, present = [], [], set()
        complete = True
        try:
            for entry in self.collect(harvest_job, config, policy):
                if isinstance(entry, ItemProblem):
                    problems.append(entry)
                else:
                    items.append(entry)
                if entry.guid:
                    present.add(entry.guid)
        except (*COLLECT_FAILURES, CollectFailed) as error:
            # A partner that loops or floods (CollectFailed: caps, repeating tokens) changes
            # nothing; one whose later page cannot be read gets what was read imported, and as
            # its listing is incomplete nothing is withdrawn (decision 0219).
            if isinstance(error, CollectFailed) or not items:
                self._save_gather_error(
                    messages.GATHER_FAILED.format(harvester=self.TITLE, reason=error), harvest_job
                )
                return []
            complete = False
            self._save_gather_error(
                messages.LISTING_INCOMPLETE.format(
                    harvester=self.TITLE, reason=error, read=len(items)
                ),
                harvest_job,
            )
        except Exception as error:  # noqa: BLE001 - a job must finish, whatever a partner sends
            log.exception("gather of %s failed", source.url)
            model.Session.rollback()
            reason = f"unexpected {type(error).__name__}: {error}"
            self._save_gather_error(
                messages.GATHER_FAILED.format(harvester=self.TITLE, reason=reason), harvest_job
            )
            return []
        settled = settle_identifiers(items, present, current_identifiers(source.id))
        items, present = settled.items, settled.present
        for item in items:
            if item.guid in settled.notes:
                item.dataset[mapping.NOTES] = sorted(
                    {*item.dataset.get(mapping.NOTES, []), *settled.notes[item.guid]}
                )
        _move_guids(source.id, settled.moves)
        current = current_state(source.id)
        if not complete:
            present |= set(current)
        plan = plan_harvest(
            current,
            items,
            present=present,
            threshold=float(config.get("withdrawal_guard", DEFAULT_WITHDRAWAL_GUARD)),
        )
        if plan.guard_message:
            self._save_gather_error(plan.guard_message, harvest_job)
        for problem in problems:
            _record_problem(harvest_job, problem)
        objects = [
            HarvestObject(
                guid=item.guid,
                job=harvest_job,
                content=json.dumps(item.dataset, ensure_ascii=False),
                package_id=current[item.guid].package_id if item.guid in current else None,
                extras=[HarvestObjectExtra(key=FINGERPRINT_KEY, value=item.fingerprint)],
            )
            for item in plan.imports
        ] + [
            HarvestObject(
                guid=guid,
                job=harvest_job,
                package_id=current[guid].package_id,
                extras=[HarvestObjectExtra(key="status", value="delete")],
            )
            for guid in plan.withdraw
        ]
        # One transaction for all objects: a commit per object costs more than the parsing.
        model.Session.add_all(objects)
        model.Session.flush()
        object_ids = [obj.id for obj in objects]
        model.Session.commit()
        log.info(
            "%s: %d to import, %d unchanged, %d to withdraw, %d unreadable",
            source.url,
            len(plan.imports),
            len(plan.unchanged),
            len(plan.withdraw),
            len(problems),
        )
        return object_ids

    def fetch_stage(self, harvest_object):
        return True  # gather already holds each dataset

    def import_stage(self, harvest_object):
        with index_commit_deferred(), messages.stored_in_english():
            return self._import_object(harvest_object)

    def dataset_hooks(self) -> list:
        """Plugins whose ``before_create``/``after_create``/``before_update``/``after_update`` and
        schema hooks (ckanext-dcat's ``IDCATRDFHarvester``) the import calls."""
        return []

    def _import_object(self, harvest_object):
        if _extra(harvest_object, "status") == "delete":
            return self._withdraw(harvest_object)
        try:
            dataset = json.loads(harvest_object.content or "")
        except ValueError:
            self._save_object_error(messages.NOT_JSON, harvest_object, "Import")
            return False
        notes = list(dataset.pop(mapping.NOTES, None) or [])
        # read now: after a failed flush the object's attributes cannot load until the rollback
        guid = harvest_object.guid
        try:
            try:
                # a Solr failover refuses index writes for seconds: tried again (decision 0507)
                result = with_index_retry(
                    lambda: self._import_dataset(harvest_object, dict(dataset))
                )
            except tk.ValidationError as error:
                model.Session.rollback()
                harvest_object = model.Session.merge(harvest_object)
                dropped = drop_invalid_optional_fields(dataset, error.error_dict, notes)
                if not dropped:
                    raise
                result = self._import_dataset(harvest_object, dict(dataset))
            _store_notes(harvest_object, notes)
            return result
        except tk.ValidationError as error:
            model.Session.rollback()
            self._save_object_error(
                messages.INVALID_DATASET.format(guid=guid, errors=_summary(error)),
                harvest_object,
                "Import",
            )
        except Exception as error:  # noqa: BLE001 - one bad record must not stop the job
            model.Session.rollback()
            log.exception("import of %s failed", guid)
            reason = f"{type(error).__name__}: {str(error)[:500]}"
            self._save_object_error(
                messages.IMPORT_FAILED.format(guid=guid, reason=reason),
                harvest_object,
                "Import",
            )
        return False

    # steps

    def _import_dataset(self, harvest_object, dataset: dict):
        source = harvest_object.source
        context = {"user": self._get_user_name(), "ignore_auth": True}
        hooks = self.dataset_hooks()
        owner_org = model.Package.get(source.id).owner_org
        # Imports of one identifier (and of one title) wait for each other, so parallel fetch
        # consumers neither both create a dataset nor both take a name (issue 14).
        _lock(dataset.get("identifier"), harvest_object.guid)
        package_id = _live_package_id(harvest_object.package_id)
        if package_id is None:
            duplicate = _duplicate_by_identifier(dataset.get("identifier"), source.id)
            if duplicate is not None:
                other_package_id, other_source = duplicate
                if not may_take_over(source, other_source, owner_org, other_package_id):
                    log.info(
                        "%s skipped: %s already harvests it",
                        harvest_object.guid,
                        other_source.title,
                    )
                    return "unchanged"
                _release(other_package_id)
                package_id = other_package_id
        dataset.setdefault("owner_org", owner_org)
        temp: dict = {}
        # The harvest object must be current before the dataset is indexed, so the index
        # knows its harvest source (ckanext-harvest's before_dataset_index reads it).
        if package_id is not None:
            existing = model.Package.get(package_id)
            dataset.update(id=package_id, name=existing.name, state="active")
            _make_current(harvest_object, package_id)
            package_plugin = lib_plugins.lookup_package_plugin(dataset.get("type"))
            schema = package_plugin.update_package_schema()
            for hook in hooks:
                schema = hook.update_package_schema_for_update(schema) or schema
                hook.before_update(harvest_object, dataset, temp)
            context["schema"] = schema
            tk.get_action("package_update")(context, dataset)
            errors = [hook.after_update(harvest_object, dataset, temp) for hook in hooks]
        else:
            package_plugin = lib_plugins.lookup_package_plugin(dataset.get("type"))
            schema = package_plugin.create_package_schema()
            schema["id"] = [unicode_safe]
            for hook in hooks:
                schema = hook.update_package_schema_for_create(schema) or schema
            context["schema"] = schema
            dataset["id"] = str(uuid.uuid4())
            dataset["name"] = allocate_name(dataset.get("title") or "", harvest_object.guid)
            for hook in hooks:
                hook.before_create(harvest_object, dataset, temp)
            _make_current(harvest_object, dataset["id"])
            model.Session.execute(
                sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED")
            )
            model.Session.flush()
            tk.get_action("package_create")(context, dataset)
            errors = [hook.after_create(harvest_object, dataset, temp) for hook in hooks]
        model.Session.commit()
        for error in errors:
            if error:
                self._save_object_error(str(error), harvest_object, "Import")
        return True

    def _withdraw(self, harvest_object):
        context = {"user": self._get_user_name(), "ignore_auth": True}
        if _live_package_id(harvest_object.package_id):
            tk.get_action("package_delete")(context, {"id": harvest_object.package_id})
        model.Session.query(HarvestObject).filter(
            HarvestObject.guid == harvest_object.guid,
            HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
        ).update({"current": False}, synchronize_session=False)
        harvest_object.current = False
        harvest_object.add()
        model.Session.commit()
        return True


def drop_invalid_optional_fields(dataset: dict, error_dict: dict, notes: list) -> list[str]:
    """Remove the optional values ``error_dict`` names from ``dataset`` (a bad optional value
    drops that value, not the record) and note each; returns the dropped fields, empty when a
    required field is among the errors (then the record cannot be saved)."""
    required = _required_fields()
    if any(key in required for key in error_dict):
        return []
    dropped = []
    for key, field_errors in error_dict.items():
        if key == "resources" and isinstance(field_errors, list):
            for resource, resource_errors in zip(
                dataset.get("resources", []), field_errors, strict=False
            ):
                for field in resource_errors or {}:
                    if field in resource and field not in {"url"}:
                        value = resource.pop(field)
                        reason = _first_message(resource_errors[field])
                        notes.append(
                            f"resources.{field}: dropped {mapping.shown(value)} ({reason})"
                        )
                        dropped.append(f"resources.{field}")
            continue
        if key in dataset:
            value = dataset.pop(key)
            reason = _first_message(field_errors)
            notes.append(f"{key}: dropped {mapping.shown(value)} ({reason})")
            dropped.append(key)
    return dropped


_first_message = messages._first_message


def _required_fields() -> set[str]:
    schema = tk.h.scheming_get_dataset_schema("dataset") or {}
    required = {"title", "name", "owner_org"}
    for schema_field in schema.get("dataset_fields", []):
        if schema_field.get("required"):
            required.add(schema_field["field_name"])
    return required


def _summary(error: tk.ValidationError) -> str:
    return messages.validation_errors(error.error_dict)[:1000]


def _store_notes(harvest_object, notes: list) -> None:
    """Keep what the import dropped on the harvest object, for the health page."""
    if not notes:
        return
    harvest_object = model.Session.merge(harvest_object)
    HarvestObjectExtra(
        object=harvest_object, key=NOTES_KEY, value=json.dumps(sorted(set(notes))[:50])
    ).save()


def allocate_name(title: str, guid: str) -> str:
    """A free URL name for a new dataset: the title spelled as a German reader would
    (common/slugs), else the title plus a short hash of the harvest guid, else a counter."""
    base = slugs.name_from_title(title, max_length=90, fallback="datensatz")
    digest = hashlib.sha1(guid.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    candidates = [base, f"{base}-{digest}"] + [f"{base}-{digest}-{n}" for n in range(2, 50)]
    _lock(f"name:{base}")
    for candidate in candidates:
        if model.Session.query(model.Package.id).filter_by(name=candidate).first() is None:
            return candidate
    return f"{base}-{uuid.uuid4().hex[:12]}"


def _lock(*keys) -> None:
    """Transaction-scoped PostgreSQL advisory locks, taken in a fixed order (no deadlock)."""
    for key in sorted({str(key) for key in keys if key}):
        model.Session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )


def may_take_over(source: HarvestSource, other: HarvestSource, owner_org, package_id) -> bool:
    """Whether ``source`` takes the dataset ``other`` harvests: a higher priority only, and never
    across organisations (that needs a sysadmin: decision 0212)."""
    if _priority(other) >= _priority(source):
        return False
    package = model.Package.get(package_id)
    return package is not None and package.owner_org == owner_org


def current_state(source_id: str) -> dict[str, Current]:
    """guid → (package id, fingerprint) of the datasets this source currently provides."""
    fingerprint = (
        model.Session.query(HarvestObjectExtra.harvest_object_id, HarvestObjectExtra.value)
        .filter(HarvestObjectExtra.key == FINGERPRINT_KEY)
        .subquery()
    )
    rows = (
        model.Session.query(
            HarvestObject.guid, HarvestObject.package_id, fingerprint.c.value, model.Package.state
        )
        .outerjoin(fingerprint, fingerprint.c.harvest_object_id == HarvestObject.id)
        .outerjoin(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current == True)  # noqa: E712
    )
    return {
        guid: Current(package_id, value if state == "active" else None)
        for guid, package_id, value, state in rows
    }


def current_identifiers(source_id: str) -> dict[str, str]:
    """guid → ``identifier`` of the active datasets this source currently provides."""
    rows = (
        model.Session.query(HarvestObject.guid, model.Package.extras["identifier"].astext)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current == True)  # noqa: E712
        .filter(model.Package.state == "active")
    )
    return {guid: identifier for guid, identifier in rows if identifier}


def _move_guids(source_id: str, moves: dict[str, str]) -> None:
    """The source's objects of a record follow the partner's new URI for it."""
    for old_guid, new_guid in moves.items():
        model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_source_id == source_id, HarvestObject.guid == old_guid
        ).update({"guid": new_guid}, synchronize_session=False)
        log.info("%s: record moved from %s to %s", source_id, old_guid, new_guid)
    if moves:
        model.Session.commit()


def _record_problem(harvest_job, problem: ItemProblem) -> None:
    obj = HarvestObject(
        guid=problem.guid or "",
        job=harvest_job,
        state="ERROR",
        report_status="errored",
    )
    obj.save()
    HarvestObjectError(
        message=messages.summarised(problem.message), object=obj, stage="Gather"
    ).save()


def _make_current(harvest_object, package_id: str) -> None:
    model.Session.query(HarvestObject).filter(
        HarvestObject.guid == harvest_object.guid,
        HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
        HarvestObject.id != harvest_object.id,
    ).update({"current": False}, synchronize_session=False)
    harvest_object.package_id = package_id
    harvest_object.current = True
    harvest_object.add()


def _live_package_id(package_id: str | None) -> str | None:
    package = model.Package.get(package_id) if package_id else None
    return package.id if package is not None else None


def _duplicate_by_identifier(identifier, source_id: str):
    """(package id, source) of an active dataset with ``identifier`` from another source."""
    if not identifier:
        return None
    rows = (
        model.Session.query(HarvestObject.package_id, HarvestSource)
        .join(HarvestSource, HarvestSource.id == HarvestObject.harvest_source_id)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.current == True)  # noqa: E712
        .filter(HarvestObject.harvest_source_id != source_id)
        .filter(model.Package.state == "active")
        .filter(model.Package.extras["identifier"].astext == str(identifier))
    )
    return rows.first()


def _release(package_id: str) -> None:
    """The other source stops owning the dataset, so it will not withdraw it later."""
    model.Session.query(HarvestObject).filter(
        HarvestObject.package_id == package_id,
        HarvestObject.current == True,  # noqa: E712
    ).update({"current": False}, synchronize_session=False)


def _priority(source: HarvestSource) -> int:
    value = source_config(source).get("priority", DEFAULT_PRIORITY)
    if isinstance(value, bool) or not isinstance(value, int):
        return DEFAULT_PRIORITY
    return min(max(value, PRIORITY_BOUNDS[0]), PRIORITY_BOUNDS[1])


def _extra(harvest_object, key: str) -> str | None:
    for extra in harvest_object.extras:
        if extra.key == key:
            return extra.value
    return None
