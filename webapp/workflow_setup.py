"""Puts the workflow engine, the domain keys and the job runtime in place for the app."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import inspect

from domain import setup as domain_setup
from forms import known_form_keys
from tasks import runtime as task_runtime
from workflows import OPERATIONS, SpecInvalid, WorkflowEngine

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Configure the domain, build the engine, deploy `bpmn/`, start the embedded workers."""
    settings, db = app.extensions["settings"], app.extensions["db"]
    domain_setup.configure(settings)
    domain_setup.register_operations()
    engine = WorkflowEngine(OPERATIONS, known_form_keys())
    app.extensions["engine"] = engine
    task_runtime.configure(db, settings)
    task_runtime.use_engine(engine)
    task_runtime.install_outbox_dispatch(db)
    if inspect(db.engine).has_table("process_version"):
        deploy_bpmn(app)
    if settings.embedded_worker and app.config.get("START_BACKGROUND", True):
        from .background import start_background

        start_background(app)


def deploy_bpmn(app: Flask) -> bool:
    """Deploy the BPMN folder; on a validation failure log why and keep the last good version."""
    settings, db, engine = (app.extensions[k] for k in ("settings", "db", "engine"))
    try:
        with db.transaction() as session:
            version = engine.versions.deploy_folder(session, settings.bpmn_dir)
    except SpecInvalid as exc:
        log.error("%s\nThe last deployed version keeps serving.", exc)
        return False
    finally:
        db.remove()
    log.info("BPMN version %s serving processes %s", version.hash[:12], version.process_ids())
    return True
