"""Who acts on the engine, and which lanes each role may work."""

from __future__ import annotations

from dataclasses import dataclass, field

# Lane name in the BPMN -> roles that may work tasks of that lane.
# A supervisor may do all a reviewer may (design §6).
LANE_ROLES: dict[str, frozenset[str]] = {
    "Family": frozenset({"family"}),
    "Reviewer": frozenset({"reviewer", "supervisor"}),
    "Supervisor": frozenset({"supervisor"}),
    "FacilityAdmin": frozenset({"facility_admin"}),
    "ProcessOwner": frozenset({"process_owner"}),
}
STAFF_LANES = frozenset(LANE_ROLES) - {"Family"}


@dataclass(frozen=True)
class Actor:
    """A person or the system. A visitor has no account yet, only a session key."""

    account_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    facility_id: int | None = None
    session_key: str | None = None
    # A machine acting for a facility (an API token: "api-token:3"), named in the history.
    agent: str | None = None

    @property
    def label(self) -> str:
        """How history rows name the actor (never a name or e-mail: those are personal data)."""
        if self.account_id is not None:
            return f"account:{self.account_id}"
        if self.agent:
            return self.agent
        if self.session_key:
            return "visitor"
        return "system"

    def lanes(self) -> frozenset[str]:
        """The lanes this actor's roles may work."""
        return frozenset(lane for lane, roles in LANE_ROLES.items() if roles & self.roles)


SYSTEM = Actor()
