"""Rules read outside any instance: a small rule-only process run in memory, never stored.

Some rules apply to data at rest rather than to a running case (how long proofs are kept). They
stay in DMN, where process owners edit them, behind a process of business rule tasks only; the
engine runs it on the current version (the facility's variant if any) and returns its data.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy.orm import Session

from .errors import EngineError


def evaluate(engine, session: Session, process_id: str, data: dict, variant: str = "") -> dict:
    """Run a rule-only process with `data`; its final data. EngineError if it waits for input."""
    process = engine.versions.current(session).get(process_id, variant)
    workflow = BpmnWorkflow(
        process.spec, process.subprocess_specs, script_engine=engine.runner.script_engine
    )
    workflow.task_tree.data.update(data)
    workflow.do_engine_steps()
    if not workflow.is_completed():
        raise EngineError(f"{process_id} is not a rule-only process: it waits for input")
    return dict(workflow.data)
