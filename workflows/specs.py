"""Reading, hashing and parsing one version of the `bpmn/` folder.

A version is the set of all BPMN and DMN files, keyed by the hash of their contents. Files in
`facilities/<code>/` override the file of the same name for that facility only (a "variant").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

SPEC_SUFFIXES = (".bpmn", ".dmn")
DEFAULT_VARIANT = ""


def read_folder(folder: Path) -> dict[str, str]:
    """Every BPMN/DMN file under `folder`, as relative POSIX path -> text."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in SPEC_SUFFIXES:
            files[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    return files


def content_hash(files: dict[str, str]) -> str:
    """A stable hash of the file set: paths and contents, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    return digest.hexdigest()


def variant_files(files: dict[str, str]) -> dict[str, dict[str, str]]:
    """Split a file set into its variants: default, and one per facility folder.

    A facility's variant is the default files with its own files replacing those of the same
    name, so a process owner overrides one process for one facility by copying one file.
    """
    default = {p: t for p, t in files.items() if "/" not in p}
    variants = {DEFAULT_VARIANT: default}
    for path, text in files.items():
        parts = PurePosixPath(path).parts
        if len(parts) == 3 and parts[0] == "facilities":
            code, name = parts[1], parts[2]
            variant = variants.setdefault(code, dict(default))
            variant.pop(name, None)
            variant[path] = text
    return variants


@dataclass(frozen=True)
class ProcessSpec:
    """One parsed process of one variant of one version."""

    process_id: str
    variant: str
    spec: object
    subprocess_specs: dict


@dataclass
class ParsedVersion:
    """All processes of one version, parsed once and kept for the life of the process."""

    hash: str
    files: dict[str, str]
    processes: dict[tuple[str, str], ProcessSpec] = field(default_factory=dict)
    # Which file each (variant, process id) came from, for error messages.
    sources: dict[tuple[str, str], str] = field(default_factory=dict)

    def get(self, process_id: str, variant: str = DEFAULT_VARIANT) -> ProcessSpec:
        """The process for a facility, falling back to the default variant."""
        found = self.processes.get((variant, process_id)) or self.processes.get(
            (DEFAULT_VARIANT, process_id)
        )
        if found is None:
            raise KeyError(f"no process {process_id!r} in version {self.hash[:12]}")
        return found

    def has_variant(self, process_id: str, variant: str) -> bool:
        return (variant, process_id) in self.processes

    def process_ids(self) -> list[str]:
        return sorted({pid for _variant, pid in self.processes})


def make_parser(files: dict[str, str], validate_xsd: bool = True) -> SpiffBpmnParser:
    """A spiff parser loaded with the given files (XSD-validated when asked)."""
    parser = SpiffBpmnParser(validator=VALIDATOR if validate_xsd else None)
    for path, text in sorted(files.items()):
        data = text.encode("utf-8")
        try:
            if path.endswith(".dmn"):
                parser.add_dmn_str(data, filename=path)
            else:
                parser.add_bpmn_str(data, filename=path)
        except etree.XMLSyntaxError as exc:  # not XML at all: say where, like the XSD errors
            raise ValidationException(exc.msg, file_name=path, line_number=exc.lineno) from None
    return parser


def parse_version(files: dict[str, str], validate_xsd: bool = False) -> ParsedVersion:
    """Parse every process of every variant. Raises SpiffWorkflow's ValidationException."""
    version = ParsedVersion(hash=content_hash(files), files=files)
    for variant, vfiles in variant_files(files).items():
        parser = make_parser(vfiles, validate_xsd)
        for process_id in parser.get_process_ids():
            source = parser.get_process_parser(process_id).filename
            if variant != DEFAULT_VARIANT and not source.startswith("facilities/"):
                continue  # the default variant already has it; a variant adds only its own
            version.processes[(variant, process_id)] = ProcessSpec(
                process_id=process_id,
                variant=variant,
                spec=parser.get_spec(process_id),
                subprocess_specs=parser.get_subprocess_specs(process_id),
            )
            version.sources[(variant, process_id)] = source
    return version
