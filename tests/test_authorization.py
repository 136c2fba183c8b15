"""The authorization matrix (role × facility × owner × URL) of every id-bearing route.

A family sees and acts only on its own applications, files and tasks; staff only on their own
facility's; everyone else gets the 404 of an id that does not exist, so ids cannot be probed.
`CASES` (tests/authorization_cases.py) lists every id-bearing route of the URL map with the ids
of one shared world (tests/authorization_world.py) and what each actor gets; a route missing from
it fails `test_every_id_bearing_route_is_in_the_matrix`. A refused request must also change
nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.authorization_cases import CASES, LOGIN, Case
from tests.authorization_world import ACTORS, world  # noqa: F401 (the matrix's world fixture)

UNCHANGED = object()


def _items():
    """(case, actor) pairs; the allowed act last, after every refusal was checked."""
    for case in CASES:
        for actor in sorted(ACTORS, key=lambda a: a in case.allowed):
            yield pytest.param(case, actor, id=f"{case.method} {case.name}-{actor}")


@pytest.mark.parametrize(("case", "actor"), list(_items()))
def test_authorization(world, case: Case, actor: str):  # noqa: F811
    """The actor gets the status of the matrix, and a refused request changes nothing."""
    allowed = actor in case.allowed
    keeps = case.state is not None and not (allowed and case.allowed_change)
    before = case.state(world) if keeps else UNCHANGED
    url, expected = case.url(world), case.expected(actor)
    body = None
    if case.method == "POST":
        body = (case.allowed_data if allowed and case.allowed_data else case.data)(world, actor)
        body = {"csrf_token": world.tokens[actor], **body}
    with world.clients[actor].open(url, method=case.method, data=body) as response:
        status, location = response.status_code, response.headers.get("Location", "")
    where = f"{actor}: {case.method} {url}"
    if expected == LOGIN:
        assert (status, urlsplit(location).path) == (302, "/login"), f"{where} -> {status}"
    else:
        assert status == expected, f"{where} -> {status}, expected {expected}"
    if before is not UNCHANGED:
        assert case.state(world) == before, f"{where} changed something"


def _id_bearing_routes(app) -> set[tuple[str, str]]:
    """(rule, method) of every route with a URL argument, but static files."""
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.arguments and rule.endpoint.rpartition(".")[2] != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_id_bearing_route_is_in_the_matrix(world):  # noqa: F811
    """A new route with an id in its URL fails here until CASES says who may use it."""
    routes, covered = _id_bearing_routes(world.app), {(c.rule, c.method) for c in CASES}
    assert sorted(routes - covered) == [], "add these routes to CASES"
    assert sorted(covered - routes) == [], "CASES names routes that no longer exist"


def test_every_case_url_is_served_by_its_rule(world):  # noqa: F811
    """The table is honest: each case's URL really reaches the rule it names."""
    adapter = world.app.url_map.bind("localhost")
    for case in CASES:
        rule, _args = adapter.match(urlsplit(case.url(world)).path, case.method, return_rule=True)
        assert rule.rule == case.rule, case.name


# The URL arguments that are not ids, with a value of their kind.
NOT_IDS = {"code": "taichung-detention", "kind": "inmate_reply", "token": "x", "task_guid": "x"}


@pytest.mark.parametrize("number", [2**31, 10**20])
def test_an_id_past_the_database_integer_is_refused_not_a_server_error(world, number):  # noqa: F811
    """Every id-bearing route, for each kind of visitor: an id no row can have is not looked
    up (a 20-digit one overflowed SQLite's integer, one past 2**31 PostgreSQL's: a 500)."""
    routes = sorted(_id_bearing_routes(world.app))
    rules = {rule.rule: rule for rule in world.app.url_map.iter_rules()}
    with_ids = [(r, m) for r, m in routes if set(rules[r].arguments) - NOT_IDS.keys() - {"task_id"}]
    assert len(with_ids) > 20, "the matrix's routes are gone: this test would prove nothing"
    for rule, method in with_ids:
        values = {name: NOT_IDS.get(name, number) for name in rules[rule].arguments}
        url = rules[rule].build(values)[1]
        for actor in ("anonymous", "family", "admin.taichung", "reviewer.dunpin", "owner"):
            data = {"csrf_token": world.tokens[actor]} if method == "POST" else None
            with world.clients[actor].open(url, method=method, data=data) as response:
                status, location = response.status_code, response.headers.get("Location", "")
            # 405: Werkzeug found the path under another method before it read the number.
            refused = status in (401, 404, 405) or (status, urlsplit(location).path) == (
                302,
                "/login",
            )
            assert refused, f"{actor}: {method} {url} -> {status}"
