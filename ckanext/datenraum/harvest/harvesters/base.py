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
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
    HarvestSource,
)

from ckanext.datenraum.common.http import FetchError, FetchPolicy
from ckanext.datenraum.common.xml import UnsafeXML
from ckanext.datenraum.harvest import mapping
from ckanext.datenraum.harvest.indexing import index_commit_deferred
from ckanext.datenraum.harvest.planning import Current, Item, plan_harvest
from ckanext.datenraum.harvest.sources import DEFAULT_PRIORITY, DEFAULT_WITHDRAWAL_GUARD

log = logging.getLogger(__name__)

FINGERPRINT_KEY = "fingerprint"
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
    dataset = mapping.apply_source_settings(dataset, config)
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

    def gather_stage(self, harvest_job):
        source = harvest_job.source
        config = source_config(source)
        policy = FetchPolicy.from_source_config(config)
        items, problems, present = [], [], set()
        try:
            for entry in self.collect(harvest_job, config, policy):
                if isinstance(entry, ItemProblem):
                    problems.append(entry)
                else:
                    items.append(entry)
                if entry.guid:
                    present.add(entry.guid)
        except (*COLLECT_FAILURES, CollectFailed) as error:
            self._save_gather_error(f"{self.TITLE}: {error} (no dataset was changed)", harvest_job)
            return []
        plan = plan_harvest(
            current_state(source.id),
            items,
            present=present,
            threshold=float(config.get("withdrawal_guard", DEFAULT_WITHDRAWAL_GUARD)),
        )
        if plan.guard_message:
            self._save_gather_error(plan.guard_message, harvest_job)
        for problem in problems:
            _record_problem(harvest_job, problem)
        current = current_state(source.id)
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
        with index_commit_deferred():
            return self._import_object(harvest_object)

    def _import_object(self, harvest_object):
        if _extra(harvest_object, "status") == "delete":
            return self._withdraw(harvest_object)
        try:
            dataset = json.loads(harvest_object.content or "")
        except ValueError:
            self._save_object_error("Harvested content is not JSON", harvest_object, "Import")
            return False
        try:
            return self._import_dataset(harvest_object, dataset)
        except tk.ValidationError as error:
            model.Session.rollback()
            self._save_object_error(
                f"Invalid dataset {harvest_object.guid}: {error.error_summary}",
                harvest_object,
                "Import",
            )
        except Exception as error:  # noqa: BLE001 - one bad record must not stop the job
            log.exception("import of %s failed", harvest_object.guid)
            model.Session.rollback()
            self._save_object_error(
                f"Import of {harvest_object.guid} failed: {error}", harvest_object, "Import"
            )
        return False

    # steps

    def _import_dataset(self, harvest_object, dataset: dict):
        source = harvest_object.source
        context = {"user": self._get_user_name(), "ignore_auth": True}
        package_id = _live_package_id(harvest_object.package_id)
        if package_id is None:
            duplicate = _duplicate_by_identifier(dataset.get("identifier"), source.id)
            if duplicate is not None:
                other_package_id, other_source = duplicate
                if _priority(other_source) >= _priority(source):
                    log.info(
                        "%s skipped: %s already harvests it with higher priority",
                        harvest_object.guid,
                        other_source.title,
                    )
                    return "unchanged"
                _release(other_package_id)
                package_id = other_package_id
        dataset.setdefault("owner_org", model.Package.get(source.id).owner_org)
        # The harvest object must be current before the dataset is indexed, so the index
        # knows its harvest source (ckanext-harvest's before_dataset_index reads it).
        if package_id is not None:
            existing = model.Package.get(package_id)
            dataset.update(id=package_id, name=existing.name, state="active")
            _make_current(harvest_object, package_id)
            tk.get_action("package_update")(context, dataset)
        else:
            package_plugin = lib_plugins.lookup_package_plugin(dataset.get("type"))
            schema = package_plugin.create_package_schema()
            schema["id"] = [unicode_safe]
            context["schema"] = schema
            dataset["id"] = str(uuid.uuid4())
            dataset["name"] = self._gen_new_name(dataset["title"])
            _make_current(harvest_object, dataset["id"])
            model.Session.execute(
                sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED")
            )
            model.Session.flush()
            tk.get_action("package_create")(context, dataset)
        model.Session.commit()
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


def _record_problem(harvest_job, problem: ItemProblem) -> None:
    obj = HarvestObject(
        guid=problem.guid or "",
        job=harvest_job,
        state="ERROR",
        report_status="errored",
    )
    obj.save()
    HarvestObjectError(message=problem.message, object=obj, stage="Gather").save()


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
    return int(source_config(source).get("priority", DEFAULT_PRIORITY))


def _extra(harvest_object, key: str) -> str | None:
    for extra in harvest_object.extras:
        if extra.key == key:
            return extra.value
    return None
