"""The process owner's pages: deployed versions, instances (filtered, paged), one instance,
and incidents with a retry that runs the engine's retry and is logged."""

from __future__ import annotations

import re

from sqlalchemy import select

from domain.accounts import Facility
from domain.audit import AuditEvent
from tests.application_support import FAMILY, STAFF_PASSWORD, logged_in, seed
from tests.conftest import read
from tests.post_support import staff_email
from tests.process_support import failed_registration
from tests.web_support import DETAILS, csrf_token
from workflows import Actor
from workflows.models import InstanceStatus, ProcessInstance, ProcessVersion

OWNER = ("owner@example.tw", STAFF_PASSWORD)
PAGES = ("/processes", "/processes/instances", "/processes/incidents")


def owner(app):
    seed(app)
    return logged_in(app, *OWNER)


def start(app, process_id="registration", facility_code=None, count=1) -> list[int]:
    """Instances started straight on the engine (as a visitor), at a facility if one is named."""
    database, engine = app.extensions["db"], app.extensions["engine"]
    with database.transaction() as session:
        facility = facility_code and session.scalar(
            select(Facility.id).where(Facility.code == facility_code)
        )
        ids = [
            engine.start(
                session, process_id, Actor(session_key=f"k{n}"), facility_id=facility or None
            ).id
            for n in range(count)
        ]
    database.remove()
    return ids


def test_the_version_list_shows_each_deployed_version_and_how_to_deploy(app):
    client = owner(app)
    start(app, count=2)
    [digest] = read(app, select(ProcessVersion.hash))
    page = client.get("/processes").get_data(as_text=True)
    assert "<title>流程版本 · 雲端家庭聯絡簿</title>" in page
    assert digest[:12] in page and "目前版本" in page and "registration.bpmn" in page
    assert "flask --app webapp bpmn deploy" in page
    row = re.search(rf"{digest[:12]}.*?</tr>", page, re.S).group(0)
    assert re.findall(r'data-label="執行中的案件">(\d+)<', row) == ["2"]
    version = client.get(f"/processes/versions/{digest}").get_data(as_text=True)
    assert "<code>registration</code>" in version and "<pre" in version
    assert "scriptTask id=&#34;send_link&#34;" in version  # the file's text, escaped
    assert client.get(f"/processes/versions/{digest[:12]}").status_code == 404


def test_only_the_process_owner_opens_the_pages_and_sees_the_links(app):
    seed(app)
    [instance] = start(app)
    [digest] = read(app, select(ProcessVersion.hash))
    urls = [*PAGES, f"/processes/instances/{instance}", f"/processes/versions/{digest}"]
    others = [
        logged_in(app, *FAMILY),
        logged_in(app, staff_email("reviewer", "dunpin"), STAFF_PASSWORD),
        logged_in(app, staff_email("supervisor", "dunpin"), STAFF_PASSWORD),
        logged_in(app, staff_email("facility_admin", "taichung"), STAFF_PASSWORD),
        logged_in(app, "auditor@example.tw", STAFF_PASSWORD),
    ]
    for client in others:
        assert 'href="/processes' not in client.get("/").get_data(as_text=True)
        for url in urls:
            assert client.get(url).status_code == 404, url
    for url in urls:
        assert app.test_client().get(url).headers["Location"].startswith("/login")
    process_owner = logged_in(app, *OWNER)
    home = process_owner.get("/").get_data(as_text=True)
    assert all(f'href="{url}"' in home for url in PAGES)
    assert all(process_owner.get(url).status_code == 200 for url in urls)


def test_instances_are_filtered_by_process_status_and_facility(app):
    client = owner(app)
    [plain] = start(app)
    [dunpin] = start(app, facility_code="dunpin-school")
    [taichung] = start(app, facility_code="taichung-detention")
    database = app.extensions["db"]
    with database.transaction() as session:
        session.get(ProcessInstance, taichung).status = InstanceStatus.COMPLETED
        dunpin_id = session.scalar(select(Facility.id).where(Facility.code == "dunpin-school"))
    database.remove()

    def listed(query: str) -> set[int]:
        page = client.get(f"/processes/instances{query}").get_data(as_text=True)
        return {int(n) for n in re.findall(r'href="/processes/instances/(\d+)"', page)}

    assert listed("") == {plain, dunpin, taichung}
    assert listed("?status=completed") == {taichung}
    assert listed("?status=running") == {plain, dunpin}
    assert listed(f"?facility={dunpin_id}") == {dunpin}
    assert listed("?process=registration&status=incident") == set()
    assert listed("?process=post_review") == set()
    assert listed("?status=nonsense&facility=x&page=abc") == {plain, dunpin, taichung}
    assert listed("?facility=99999999999") == {plain, dunpin, taichung}  # past any id: none
    page = client.get("/processes/instances?status=completed").get_data(as_text=True)
    assert 'badge badge--approved">已完成<' in page


def test_instances_come_25_to_a_page_and_the_pager_keeps_the_filter(app):
    client = owner(app)
    ids = start(app, count=27)
    first = client.get("/processes/instances?status=running").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'href="/processes/instances/(\d+)"', first)]
    assert shown == sorted(ids, reverse=True)[:25]
    assert "第 1 頁，共 2 頁" in first
    assert 'href="/processes/instances?status=running&amp;page=2"' in first
    second = client.get("/processes/instances?status=running&page=2").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'href="/processes/instances/(\d+)"', second)]
    assert shown == sorted(ids, reverse=True)[25:]


def test_an_instance_page_shows_tasks_and_history_without_the_task_data(app, monkeypatch):
    client = owner(app)
    instance = failed_registration(app, monkeypatch)
    page = client.get(f"/processes/instances/{instance}").get_data(as_text=True)
    assert f"<title>案件 #{instance} · 雲端家庭聯絡簿</title>" in page
    assert "send_link" in page and "mail relay offline" in page
    # The two completed form steps, by title and id, with who completed them and when.
    history = page.split("已完成的工作")[1]
    assert "閱讀並同意個資聲明<br><small><code>accept_notice</code>" in history
    assert "填寫註冊資料<br><small><code>enter_details</code>" in history
    # The family's details sent with the form stay out of the page.
    for value in (DETAILS["name"], DETAILS["national_id"], DETAILS["email"], DETAILS["mobile"]):
        assert value not in page


def test_a_retry_runs_the_failed_step_again_and_is_logged(app, monkeypatch):
    client = owner(app)
    instance = failed_registration(app, monkeypatch)
    incidents = client.get("/processes/incidents").get_data(as_text=True)
    assert f'action="/processes/instances/{instance}/retry"' in incidents
    assert "mail relay offline" in incidents
    token = csrf_token(client, "/processes/incidents")
    url = f"/processes/instances/{instance}/retry"
    assert client.post(url).status_code == 400  # no CSRF token: refused
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/processes/incidents"
    page = client.get("/processes/incidents").get_data(as_text=True)
    assert f"案件 {instance} 已重試，目前狀態：執行中。" in page
    assert f'action="/processes/instances/{instance}/retry"' not in page
    [status] = read(app, select(ProcessInstance.status).where(ProcessInstance.id == instance))
    assert status == InstanceStatus.RUNNING
    [event] = read(app, select(AuditEvent).where(AuditEvent.action == "instance.retry"))
    assert (event.object_type, event.object_id, event.actor_role) == (
        "process_instance",
        str(instance),
        "process_owner",
    )
    assert event.after == {"status": "running", "incident_element": None}
    assert event.before == {"status": "incident", "incident_element": "send_link"}
    # Sent again: the incident is gone, and the page says so instead of failing.
    again = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert again.status_code == 200
    assert f"案件 {instance} 已不是異常狀態（目前：執行中）。" in again.get_data(as_text=True)
    assert len(read(app, select(AuditEvent).where(AuditEvent.action == "instance.retry"))) == 1


def test_a_retry_that_fails_again_says_why_and_stays_an_incident(app, monkeypatch):
    client = owner(app)
    instance = failed_registration(app, monkeypatch)
    globals_ = app.extensions["engine"].runner.script_engine.environment.globals

    def send_verification_link(account_id):
        raise RuntimeError("still offline")

    monkeypatch.setitem(globals_, "send_verification_link", send_verification_link)
    token = csrf_token(client, "/processes/incidents")
    page = client.post(
        f"/processes/instances/{instance}/retry",
        data={"csrf_token": token, "next": f"/processes/instances/{instance}"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert re.search(
        rf'flash--error" role="alert">案件 {instance} 於 send_link 再次失敗：[^<]*still offline',
        page,
    )
    [row] = read(app, select(ProcessInstance).where(ProcessInstance.id == instance))
    assert row.status == InstanceStatus.INCIDENT and "still offline" in row.incident_error


def test_a_retry_of_an_instance_that_does_not_exist_is_not_found(app):
    client = owner(app)
    token = csrf_token(client, "/processes/incidents")
    assert (
        client.post("/processes/instances/4242/retry", data={"csrf_token": token}).status_code
        == 404
    )


def test_lanes_read_as_the_roles_that_work_them(app):
    from webapp.roles import lane_label

    with app.test_request_context(headers={"Accept-Language": "zh-TW"}):
        assert [lane_label(lane) for lane in ("Family", "Reviewer", "FacilityAdmin")] == [
            "家屬",
            "審核人員",
            "機關管理者",
        ]
        assert lane_label("SomethingNew") == "SomethingNew"  # a lane no role is named for
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert lane_label("Supervisor") == "Supervisor"
