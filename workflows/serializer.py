"""Serialize workflow instances without their spec.

SpiffWorkflow's stock serializer embeds the whole parsed spec in every instance, so every
instance row would grow with its BPMN and carry a copy per version. We keep the spec once per
deployed version (`process_version`) and hand it back in when an instance is loaded.
"""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG as SPIFF_CONFIG


class SpecFreeWorkflowConverter(BpmnWorkflowConverter):
    """Top-level workflow converter that leaves the spec out and takes it back at restore."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        if spec is None:
            raise ValueError("a spec-free workflow needs its spec to be restored")
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _registry():
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = SpecFreeWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    # SpiffWorkflow handles datetime but not date (it fails on json.dumps).
    registry.register(
        date,
        lambda v: {"value": v.isoformat()},
        lambda v: date.fromisoformat(v["value"]),
    )
    return registry


class InstanceSerializer:
    """JSON text <-> BpmnWorkflow, with the spec supplied by the caller."""

    def __init__(self) -> None:
        self._serializer = BpmnWorkflowSerializer(_registry())

    @property
    def version(self) -> str:
        return self._serializer.VERSION

    def storable(self, name: str, value) -> None:
        """Raise TypeError, naming the variable, if task data `name` = `value` cannot be stored
        (a `range` or `zip` a script left behind would otherwise fail only at save)."""
        if callable(value):
            return  # dropped from task data at save, as SpiffWorkflow does
        try:
            json.dumps(self._serializer.registry.convert(value))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"variable {name!r} cannot be stored: {exc}") from None

    def dumps(self, workflow: BpmnWorkflow) -> str:
        """The instance state as JSON text (no spec)."""
        return self._serializer.serialize_json(workflow)

    def loads(self, text: str, spec, subprocess_specs) -> BpmnWorkflow:
        """Rebuild an instance from its JSON text and the parsed spec of its version."""
        dct = json.loads(text)
        self._serializer.migrate(dct)
        return self._serializer.registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)


__all__ = ["InstanceSerializer"]
