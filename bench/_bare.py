"""The bare SpiffWorkflow cycle bench/engine.py compares the engine with: the same steps with no
database, the engine's own serializer and script engine."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from workflows import WorkflowEngine, clock


class Bare:
    """The same steps with SpiffWorkflow alone: no database; the engine's serializer and scripts."""

    def __init__(self, engine: WorkflowEngine, process, tick_at: datetime) -> None:
        self.serializer, self.scripts = engine.runner.serializer, engine.runner.script_engine
        self.spec, self.subprocess_specs = process.spec, process.subprocess_specs
        self.tick_at = tick_at  # every tick instance is due by then

    def load(self, state: str) -> BpmnWorkflow:
        workflow = self.serializer.loads(state, self.spec, self.subprocess_specs)
        workflow.script_engine = self.scripts
        return workflow

    def start(self, _item) -> None:
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.scripts)
        workflow.do_engine_steps()
        self.serializer.dumps(workflow)

    def complete(self, data: dict):
        def cycle(item: tuple[str, str]) -> None:
            workflow = self.load(item[0])
            task = workflow.get_task_from_id(UUID(item[1]))
            task.task_spec.add_data_from_form(task, data)
            task.run()
            workflow.do_engine_steps()
            self.serializer.dumps(workflow)

        return cycle

    def tick(self, item: tuple[str, str]) -> None:
        with clock.pinned(self.tick_at):
            workflow = self.load(item[0])
            workflow.refresh_timers()
            workflow.do_engine_steps()
            self.serializer.dumps(workflow)
