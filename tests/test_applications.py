"""The service-application process end to end: every branch of bpmn/service_application.bpmn."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.applications import Application, ApplicationDocument, ApplicationRound, ContactBook
from domain.roster import Inmate, Restriction
from tests.application_support import (
    DUNPIN_PROOFS,
    FAMILY,
    STAFF_PASSWORD,
    apply,
    choose,
    field_error,
    logged_in,
    make_family,
    open_tasks,
    png,
    seed,
    send_details,
    upload,
)
from tests.conftest import read
from tests.web_support import csrf_token
from workflows import clock


@pytest.fixture
def family(app):
    seed(app)
    return logged_in(app, *FAMILY)


def reviewer(app, facility="dunpin"):
    return logged_in(app, f"reviewer.{facility}@example.tw", STAFF_PASSWORD)


def supervisor(app, facility="dunpin"):
    return logged_in(app, f"supervisor.{facility}@example.tw", STAFF_PASSWORD)


def decide(client, task, decision, **extra):
    url = f"/tasks/{task.task_guid}"
    return client.post(
        url, data={"csrf_token": csrf_token(client, url), "decision": decision, **extra}
    )


def status_of(client, url: str) -> int:
    """GET a URL and close the response (a served file holds an open handle until then)."""
    with client.get(url) as response:
        return response.status_code


def applications(app):
    return read(app, select(Application))


def test_apply_review_approve_activates_the_contact_book(app, family, mailbox):
    response = apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    assert response.status_code == 302
    assert "已送出" in mailbox.last()["Subject"]
    [application] = applications(app)
    assert application.status == "pending"
    page = family.get("/applications").get_data(as_text=True)
    assert "1201 林〇〇" in page and "未審核" in page and "林小偉" not in page
    [task] = open_tasks(app, lane="Reviewer")
    assert (task.search_key, task.subject_label) == ("1201", "1201 林〇〇")
    assert task.due_at is not None
    desk = reviewer(app)
    page = desk.get(f"/tasks/{task.task_guid}").get_data(as_text=True)
    assert "F22****354" in page and "林小偉" in page and page.count("/files/") >= 2
    assert decide(desk, task, "approve").status_code == 302
    [application] = applications(app)
    assert application.status == "approved"
    [book] = read(app, select(ContactBook))
    assert book.status == "active" and book.inmate_id == application.inmate_id
    assert "審核通過" in family.get("/applications").get_data(as_text=True)
    assert "審核通過" in mailbox.last()["Subject"]


def test_reject_needs_a_reason_then_correct_and_resubmit(app, family, mailbox):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    desk = reviewer(app)
    page = decide(desk, task, "reject").get_data(as_text=True)
    assert field_error(page, "reason")
    response = decide(
        desk, task, "reject", reason="戶籍謄本模糊", suggested_steps="請重新上傳清晰的戶籍謄本"
    )
    assert response.status_code == 302
    status = family.get("/applications").get_data(as_text=True)
    assert "審核未通過" in status and "戶籍謄本模糊" in status and "請重新上傳" in status
    assert "未通過" in mailbox.last()["Subject"]
    [correction] = open_tasks(app, lane="Family")
    url = f"/tasks/{correction.task_guid}"
    assert url in status  # the status page links to the correction step
    assert "戶籍謄本模糊" in family.get(url).get_data(as_text=True)
    family.post(
        url,
        data={
            "csrf_token": csrf_token(family, url),
            "note": "重新上傳清晰的戶籍謄本 <b>新</b>",
            "relationship_proof": (__import__("io").BytesIO(png((1, 2, 3))), "new.png"),
        },
        content_type="multipart/form-data",
    )
    [second] = open_tasks(app, lane="Reviewer")
    page = desk.get(f"/tasks/{second.task_guid}").get_data(as_text=True)
    assert "戶籍謄本模糊" in page  # the earlier round is visible
    # ...and so is what the family says it corrected, escaped
    assert "重新上傳清晰的戶籍謄本 &lt;b&gt;新&lt;/b&gt;" in page
    decide(desk, second, "approve")
    [application] = applications(app)
    assert (application.status, application.round) == ("approved", 2)
    history = [(r.round, r.decision) for r in read(app, select(ApplicationRound))]
    assert history == [(1, "reject"), (2, "correct"), (2, "approve")]


def test_a_reason_template_reaches_the_family_in_its_language_and_own_words_as_typed(
    app, family, mailbox
):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    desk, url = reviewer(app), f"/tasks/{task.task_guid}"
    form = {
        "csrf_token": csrf_token(desk, url),
        "decision": "reject",
        "reason_template": "proof_unclear",
        "reason": "戶籍謄本第二頁缺漏",
    }
    english = {"Accept-Language": "en"}
    assert desk.post(url, data=form, headers=english).status_code == 302  # an English reviewer
    [application] = applications(app)
    assert (application.reason_code, application.reason) == ("proof_unclear", "戶籍謄本第二頁缺漏")
    status = family.get("/applications").get_data(as_text=True)
    assert "佐證資料不清晰或不完整。\n戶籍謄本第二頁缺漏" in status
    assert "The proofs are unclear" not in status
    zh_part, en_part = mailbox.last().get_content().split("\n---\n")
    assert "佐證資料不清晰或不完整。" in zh_part and "The proofs are unclear" not in zh_part
    assert "The proofs are unclear or incomplete." in en_part and "戶籍謄本第二頁缺漏" in en_part
    [correction] = open_tasks(app, lane="Family")
    page = family.get(f"/tasks/{correction.task_guid}").get_data(as_text=True)
    assert "佐證資料不清晰或不完整。" in page


def test_a_vietnamese_family_reads_the_reason_template_in_vietnamese(app, family, mailbox):
    database = app.extensions["db"]
    with database.transaction() as session:
        session.scalar(select(Account).where(Account.email == FAMILY[0])).locale = "vi"
    database.remove()
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    decide(reviewer(app), task, "reject", reason_template="proof_unclear")
    local_part = mailbox.last().get_content().split("\n---\n")[0]
    assert "Giấy tờ chứng minh không rõ hoặc không đầy đủ." in local_part


@pytest.mark.parametrize(
    "facility, call_number, relationship, reason",
    [
        ("taichung-detention", "0609", "relative", "does not accept applications for this"),
        ("taichung-detention", "0612", "parent", "children under 18"),
    ],
)
def test_ineligible_requests_file_nothing_and_say_why(
    app, family, facility, call_number, relationship, reason
):
    response = choose(family, facility, call_number, relationship)
    english = {"Accept-Language": "en"}
    page = family.get(response.headers["Location"], headers=english).get_data(as_text=True)
    assert reason in page and "Nothing was filed" in page
    assert applications(app) == []


def test_a_restriction_in_force_refuses_the_application(app, family):
    database = app.extensions["db"]
    with database.transaction() as session:
        inmate = session.scalar(select(Inmate).where(Inmate.call_number == "1201"))
        session.add(
            Restriction(
                inmate_id=inmate.id,
                kind="discipline",
                starts_on=date.today() - timedelta(days=1),
                ends_on=date.today() + timedelta(days=10),
            )
        )
    database.remove()
    response = choose(family, "dunpin-school", "1201", "parent")
    page = family.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "cannot use the contact book at present" in page.get_data(as_text=True)
    assert applications(app) == []


def test_one_book_per_person(app, family):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    again = choose(family, "dunpin-school", "1201", "parent")
    assert "/applications/outcome/" in again.headers["Location"]
    english = {"Accept-Language": "en"}
    assert "already have an application" in family.get(
        again.headers["Location"], headers=english
    ).get_data(as_text=True)
    other = logged_in(app, *make_family(app, "other@example.tw"))
    taken = choose(other, "dunpin-school", "1201", "sibling")
    page = other.get(taken.headers["Location"], headers=english).get_data(as_text=True)
    assert "one contact book per person in custody" in page
    assert len(applications(app)) == 1


def test_the_reviewer_sees_only_this_facilitys_other_applications_with_their_status(app, family):
    apply(family, "taichung-detention", "0609", "spouse", {"relationship_proof": (png(), "r.png")})
    apply(family, "dunpin-school", "1202", "parent", DUNPIN_PROOFS)
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    inmates = {i.id: i.call_number for i in read(app, select(Inmate))}
    by_call = {inmates[a.inmate_id]: a for a in applications(app)}
    taichung, dunpin = by_call["0609"], by_call["1202"]
    [task] = [t for t in open_tasks(app, lane="Reviewer") if t.search_key == "1201"]
    page = reviewer(app).get(f"/tasks/{task.task_guid}").get_data(as_text=True)
    others = page.split("其他申請")[1]
    assert f"#{dunpin.id} " in others and f"#{taichung.id} " not in others
    assert "未審核" in others and " pending (" not in others


@pytest.mark.parametrize(
    "facility, call_number", [("dunpin-school", "9999"), ("dunpin-school", "0609")]
)  # 0609 is at Taichung
def test_unknown_or_other_facility_call_number_says_no_such_person(
    app, family, facility, call_number
):
    response = choose(family, facility, call_number, "parent")
    page = family.get(response.headers["Location"]).get_data(as_text=True)
    assert field_error(page, "call_number")
    assert "臺中" not in field_error(page, "call_number")
    assert f'value="{call_number}"' in page


def test_a_correction_sent_after_its_deadline_is_refused_and_the_application_closed(app, family):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    decide(reviewer(app), task, "reject", reason="戶籍謄本模糊", suggested_steps="請重新上傳")
    [correction] = open_tasks(app, lane="Family")
    url = f"/tasks/{correction.task_guid}"
    token = csrf_token(family, url)
    clock.advance(timedelta(days=91))  # the 90 days passed; no tick has run yet
    response = family.post(
        url,
        data={"csrf_token": token, "note": "太晚了", "relationship_proof": upload(png(), "p.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "這項作業已經有人處理完成" in family.get(response.location).get_data(as_text=True)
    assert open_tasks(app, lane="Family") == [] and open_tasks(app, lane="Reviewer") == []
    [application] = applications(app)
    assert (application.status, application.round) == ("closed", 1)  # the timer's step is kept


def tick(app):
    database = app.extensions["db"]
    with database.transaction() as session:
        app.extensions["engine"].tick(session)
    database.remove()


def claim(client, task):
    return client.post(
        f"/inbox/tasks/{task.task_guid}/claim", data={"csrf_token": csrf_token(client, "/inbox")}
    )


def test_overdue_review_is_told_to_supervisors_and_the_reviewer_can_still_decide(
    app, family, mailbox
):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [before] = open_tasks(app, lane="Reviewer")
    clock.advance(timedelta(days=32))
    tick(app)
    [task] = open_tasks(app, lane="Reviewer")
    assert (task.task_guid, task.bpmn_id) == (before.task_guid, "review")  # the same task
    assert task.due_at == before.due_at and task.due_at < clock.now()  # kept, now overdue
    assert any(m["To"] == "supervisor.dunpin@example.tw" for m in mailbox.messages())
    assert supervisor(app).get(f"/tasks/{task.task_guid}").status_code == 200
    assert decide(reviewer(app), task, "approve").status_code == 302
    assert applications(app)[0].status == "approved"


def test_a_decision_posted_after_the_deadline_before_the_tick_is_recorded(app, family):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    desk = reviewer(app)
    url = f"/tasks/{task.task_guid}"
    token = csrf_token(desk, url)
    clock.advance(timedelta(days=32))  # the month passed; no tick has run yet
    response = desk.post(
        url,
        data={
            "csrf_token": token,
            "decision": "reject",
            "reason": "戶籍謄本模糊",
            "suggested_steps": "請重新上傳",
        },
    )
    assert response.status_code == 302
    [application] = applications(app)
    assert application.status == "rejected"
    [decided] = read(app, select(ApplicationRound))
    assert decided.reason == "戶籍謄本模糊"
    assert open_tasks(app, lane="Reviewer") == []


def test_a_claim_survives_the_deadline(app, family):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    claim(reviewer(app), task)
    [claimed] = open_tasks(app, lane="Reviewer")
    assert claimed.assignee_id is not None
    clock.advance(timedelta(days=32))
    tick(app)
    [overdue] = open_tasks(app, lane="Reviewer")
    assert (overdue.task_guid, overdue.assignee_id) == (task.task_guid, claimed.assignee_id)


def test_the_supervisor_is_told_of_an_overdue_review_once(app, family, mailbox):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    clock.advance(timedelta(days=32))
    tick(app)
    clock.advance(timedelta(days=40))  # a later month, a later tick: no second notice
    tick(app)
    [task] = open_tasks(app, lane="Reviewer")
    decide(reviewer(app), task, "approve")
    told = [m for m in mailbox.messages() if m["To"] == "supervisor.dunpin@example.tw"]
    assert len(told) == 1


def test_a_resubmitted_round_after_a_late_rejection_gets_a_new_deadline(app, family, mailbox):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    clock.advance(timedelta(days=32))
    tick(app)
    [task] = open_tasks(app, lane="Reviewer")
    decide(reviewer(app), task, "reject", reason="戶籍謄本模糊", suggested_steps="請重新上傳")
    [correction] = open_tasks(app, lane="Family")
    url = f"/tasks/{correction.task_guid}"
    family.post(
        url,
        data={
            "csrf_token": csrf_token(family, url),
            "note": "重新上傳",
            "relationship_proof": upload(png((1, 2, 3)), "new.png"),
        },
        content_type="multipart/form-data",
    )
    [second] = open_tasks(app, lane="Reviewer")
    assert second.due_at > clock.now()  # the new round's month, not the old overdue date
    clock.advance(timedelta(days=32))
    tick(app)
    [overdue] = open_tasks(app, lane="Reviewer")
    assert overdue.task_guid == second.task_guid and overdue.due_at == second.due_at
    told = [m for m in mailbox.messages() if m["To"] == "supervisor.dunpin@example.tw"]
    assert len(told) == 2  # once for each round
    decide(reviewer(app), overdue, "approve")
    assert (applications(app)[0].status, applications(app)[0].round) == ("approved", 2)


def test_an_overdue_special_project_stays_with_the_supervisor(app, family, mailbox):
    choose(family, "yunlin-second-prison", "2301", "institution")
    [details] = open_tasks(app, lane="Family")
    files = {
        "id_document": (png(), "a.png"),
        "relationship_proof": (png(), "b.png"),
        "applicant_photo": (png(), "c.png"),
    }
    send_details(family, f"/tasks/{details.task_guid}", files, organisation="雲林縣政府社會處")
    [task] = open_tasks(app, lane="Supervisor")
    clock.advance(timedelta(days=32))
    tick(app)
    [overdue] = open_tasks(app, lane="Supervisor")
    assert overdue.task_guid == task.task_guid and overdue.due_at < clock.now()
    assert any(m["To"] == "supervisor.yunlin@example.tw" for m in mailbox.messages())
    assert decide(supervisor(app, "yunlin"), overdue, "approve").status_code == 302
    assert applications(app)[0].status == "approved"


def test_special_project_goes_to_the_supervisor(app, family):
    response = choose(family, "yunlin-second-prison", "2301", "institution")
    task_url = response.headers["Location"]
    page = family.get(task_url).get_data(as_text=True)
    assert 'name="organisation"' in page and 'name="applicant_photo"' in page
    files = {
        "id_document": (png(), "a.png"),
        "relationship_proof": (png(), "b.png"),
        "applicant_photo": (png(), "c.png"),
    }
    missing = send_details(family, task_url, files).get_data(as_text=True)
    assert field_error(missing, "organisation")
    send_details(family, task_url, files, organisation="雲林縣政府社會處")
    [task] = open_tasks(app, lane="Supervisor")
    assert reviewer(app, "yunlin").get(f"/tasks/{task.task_guid}").status_code == 404
    assert decide(supervisor(app, "yunlin"), task, "approve").status_code == 302
    assert applications(app)[0].special_project is True


def test_taichung_asks_only_for_the_relationship_proof(app, family):
    response = choose(family, "taichung-detention", "0609", "spouse")
    page = family.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="relationship_proof"' in page
    assert 'name="id_document"' not in page and 'name="applicant_photo"' not in page


def test_a_disguised_file_is_refused_and_the_rest_kept(app, family):
    response = choose(family, "dunpin-school", "1201", "parent")
    task_url = response.headers["Location"]
    bad = {
        "id_document": (b"not really an image", "id.jpg"),
        "relationship_proof": (png(), "hh.png"),
    }
    page = send_details(family, task_url, bad).get_data(as_text=True)
    assert field_error(page, "id_document")
    assert (
        "checked" in page.split('name="confirm"')[0][-200:] + page.split('name="confirm"')[1][:200]
    )
    assert applications(app) == []


def kept_ids(page: str) -> dict:
    """kind -> the stored file id a page carries back as kept."""
    return dict(re.findall(r'name="(\w+)_kept" value="(\d+)"', page))


def test_an_accepted_file_is_kept_when_another_is_refused(app, family):
    task_url = choose(family, "dunpin-school", "1201", "parent").headers["Location"]
    bad = {"id_document": (b"not an image", "id.jpg"), "relationship_proof": (png(), "hh.png")}
    page = send_details(family, task_url, bad).get_data(as_text=True)
    assert field_error(page, "id_document") and not field_error(page, "relationship_proof")
    assert "已保留：hh.png" in page
    kept = kept_ids(page)
    assert list(kept) == ["relationship_proof"]
    [proof_input] = re.findall(r'<input[^>]*name="relationship_proof"[^>]*>', page)
    assert "required" not in proof_input  # the browser lets the family send without it
    fixed = {"id_document": (png((9, 9, 9)), "id.png")}
    extra = {"relationship_proof_kept": kept["relationship_proof"]}
    assert send_details(family, task_url, fixed, **extra).status_code == 302
    [application] = applications(app)
    documents = {d.kind: d.file_id for d in read(app, select(ApplicationDocument))}
    assert documents == {
        "id_document": documents["id_document"],
        "relationship_proof": int(kept["relationship_proof"]),
    }
    assert application.status == "pending"


def test_a_kept_file_id_of_another_account_is_refused(app, family):
    task_url = choose(family, "dunpin-school", "1201", "parent").headers["Location"]
    bad = {"id_document": (b"not an image", "id.jpg"), "relationship_proof": (png(), "hh.png")}
    mine = kept_ids(send_details(family, task_url, bad).get_data(as_text=True))
    other = logged_in(app, *make_family(app, "other@example.tw"))
    their_url = choose(other, "dunpin-school", "1201", "sibling").headers["Location"]
    extra = {"relationship_proof_kept": mine["relationship_proof"]}
    page = send_details(other, their_url, {"id_document": (png(), "id.png")}, **extra)
    assert field_error(page.get_data(as_text=True), "relationship_proof")
    assert "hh.png" not in page.get_data(as_text=True)
    assert applications(app) == []


def test_a_correction_without_its_note_keeps_the_new_file(app, family):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    decide(reviewer(app), task, "reject", reason="模糊")
    [correction] = open_tasks(app, lane="Family")
    url = f"/tasks/{correction.task_guid}"
    data = {"csrf_token": csrf_token(family, url), "relationship_proof": upload(png(), "new.png")}
    page = family.post(url, data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert field_error(page, "note") and "已保留：new.png" in page
    data = {"csrf_token": csrf_token(family, url), "note": "已重傳", **kept_ids_form(page)}
    assert family.post(url, data=data, content_type="multipart/form-data").status_code == 302
    second = [d for d in read(app, select(ApplicationDocument)) if d.round == 2]
    assert [(d.kind, str(d.file_id)) for d in second] == [
        ("relationship_proof", kept_ids(page)["relationship_proof"])
    ]


def kept_ids_form(page: str) -> dict:
    """The hidden kept-file inputs of a page, as form data to send back."""
    return {f"{kind}_kept": file_id for kind, file_id in kept_ids(page).items()}


def test_two_open_tabs_file_one_application_and_the_second_is_told_it_is_ours(app, family):
    english = {"Accept-Language": "en"}
    first, second = (choose(family, "dunpin-school", "1201", "parent") for _ in range(2))
    first_tab, second_tab = first.headers["Location"], second.headers["Location"]
    assert "/tasks/" in first_tab and "/tasks/" in second_tab
    assert send_details(family, first_tab, DUNPIN_PROOFS).status_code == 302
    outcome = send_details(family, second_tab, DUNPIN_PROOFS).headers["Location"]
    page = family.get(outcome, headers=english).get_data(as_text=True)
    assert "You already have an application" in page and "Another family member" not in page
    assert len(applications(app)) == 1


def test_another_family_filing_first_is_told_the_book_is_taken(app, family):
    english = {"Accept-Language": "en"}
    other = logged_in(app, *make_family(app, "other@example.tw"))
    mine = choose(family, "dunpin-school", "1201", "parent").headers["Location"]
    theirs = choose(other, "dunpin-school", "1201", "sibling").headers["Location"]
    assert send_details(family, mine, DUNPIN_PROOFS).status_code == 302
    outcome = send_details(other, theirs, DUNPIN_PROOFS).headers["Location"]
    assert "Another family member" in other.get(outcome, headers=english).get_data(as_text=True)
    assert len(applications(app)) == 1


def test_a_replayed_submission_files_one_application(app, family):
    response = choose(family, "dunpin-school", "1201", "parent")
    task_url = response.headers["Location"]
    token = csrf_token(family, task_url)

    def post():
        data = {
            "csrf_token": token,
            "confirm": "y",
            "services": "contact_book",
            "id_document": (__import__("io").BytesIO(png()), "a.png"),
            "relationship_proof": (__import__("io").BytesIO(png()), "b.png"),
        }
        return family.post(task_url, data=data, content_type="multipart/form-data")

    assert post().status_code == 302
    assert post().status_code == 302  # "already completed", not a second application
    assert len(applications(app)) == 1


def test_strangers_get_404_on_tasks_files_and_outcomes(app, family):
    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    [task] = open_tasks(app, lane="Reviewer")
    desk = reviewer(app)
    files = [
        line.split('"')[0]
        for line in desk.get(f"/tasks/{task.task_guid}").get_data(as_text=True).split("/files/")[1:]
    ]
    file_url = "/files/" + files[0].split("?")[0]
    other_family = logged_in(app, *make_family(app, "stranger@example.tw"))
    other_desk = reviewer(app, "taichung")
    for client in (other_family, other_desk, app.test_client()):
        assert status_of(client, file_url) == 404
    for client in (other_family, other_desk, family):
        assert client.get(f"/tasks/{task.task_guid}").status_code == 404
    assert status_of(family, file_url) == 200 and status_of(desk, file_url) == 200
    instance_id = applications(app)[0].instance_id
    assert other_family.get(f"/applications/outcome/{instance_id}").status_code == 404
    assert desk.get("/applications").status_code == 404


def test_the_demo_court_ban_refuses_an_application_for_0611(app, family):
    response = choose(family, "taichung-detention", "0611", "spouse")
    page = family.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "court or prosecutor" in page.get_data(as_text=True)


def test_a_transfer_takes_the_open_application_to_the_new_facility(app, family):
    from domain.roster_operations import transfer_inmate

    apply(family, "dunpin-school", "1201", "parent", DUNPIN_PROOFS)
    database = app.extensions["db"]
    with database.transaction() as session:
        inmate = session.scalar(select(Inmate).where(Inmate.call_number == "1201"))
        yunlin = session.scalar(select(Facility).where(Facility.code == "yunlin-second-prison"))
        transfer_inmate(session, inmate, yunlin.id, app.extensions["engine"])
    database.remove()
    [task] = open_tasks(app, lane="Reviewer")
    assert reviewer(app).get(f"/tasks/{task.task_guid}").status_code == 404
    new_desk = reviewer(app, "yunlin")
    page = new_desk.get(f"/tasks/{task.task_guid}").get_data(as_text=True)
    file_url = "/files/" + page.split("/files/")[1].split('"')[0].split("?")[0]
    assert status_of(new_desk, file_url) == 200
    assert status_of(reviewer(app), file_url) == 404
    assert decide(new_desk, task, "approve").status_code == 302


def test_an_application_left_after_the_first_step_can_be_continued(app, family):
    assert "/tasks/" not in family.get("/applications").get_data(as_text=True)
    step = choose(family, "dunpin-school", "1201", "parent").headers["Location"]
    page = family.get("/applications").get_data(as_text=True)
    assert step in page and "1201 林〇〇" in page and "步驟 2／2" in page
    assert send_details(family, step, DUNPIN_PROOFS).status_code == 302
    assert step not in family.get("/applications").get_data(as_text=True)  # sent: in the table


def test_another_familys_unfinished_application_is_not_listed(app, family):
    step = choose(family, "dunpin-school", "1201", "parent").headers["Location"]
    other = logged_in(app, *make_family(app, "other@example.tw"))
    assert step not in other.get("/applications").get_data(as_text=True)


def test_a_family_starts_at_most_ten_applications_an_hour(app, family):
    """Every start leaves an instance and an open step (an unsent application never expires),
    so one account could fill the tables; a form refused beside a field starts nothing and
    does not count, and another family keeps its own starts."""
    assert choose(family, "dunpin-school", "", "parent").status_code == 200
    for _ in range(10):
        assert choose(family, "dunpin-school", "1201", "parent").status_code == 302
    assert choose(family, "dunpin-school", "1201", "parent").status_code == 429
    assert len(open_tasks(app, process_id="service_application")) == 10
    other = logged_in(app, *make_family(app, "other@example.tw"))
    assert choose(other, "taichung-detention", "0609", "spouse").status_code == 302


def test_naming_people_again_and_again_is_limited_per_family(app, family, monkeypatch):
    """Each try says whether the roster holds that call number: without a limit, the step
    would list a facility's roster (and grow its instance with every try)."""
    from webapp.taskpages.limits import TASK_LIMITS

    monkeypatch.setitem(TASK_LIMITS, "ApplicationTargetForm", "3 per hour")
    url = choose(family, "dunpin-school", "9999", "parent").headers["Location"]  # try 1
    again = {"csrf_token": csrf_token(family, url), "facility": "dunpin-school"}
    again["relationship"] = "parent"
    for call_number in ("9998", "9997"):  # tries 2 and 3: asked again on the next page
        response = family.post(url, data={**again, "call_number": call_number})
        assert response.status_code == 302 and "/tasks/" in response.headers["Location"]
        url = response.headers["Location"]
    assert family.post(url, data={**again, "call_number": "1201"}).status_code == 429
    assert open_tasks(app, lane="Reviewer") == []  # the fourth name was not looked up
    other = logged_in(app, *make_family(app, "other@example.tw"))
    assert choose(other, "dunpin-school", "9999", "parent").status_code == 302


def test_the_relationship_starts_unchosen_and_must_be_chosen(app, family):
    page = family.get("/applications/new").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="relationship".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>[^<]*</option>", select_html)
    assert options[0] == '<option value="">請選擇</option>'  # the browser opens on the first
    assert "selected" not in select_html
    response = choose(family, "dunpin-school", "1201", "")
    assert response.status_code == 200 and applications(app) == []
    page = response.get_data(as_text=True)
    assert field_error(page, "relationship") == "請選擇您與收容人的關係。"
    assert 'value="1201"' in page  # what the family typed is kept


def test_no_facility_is_chosen_for_the_family(app, family):
    page = family.get("/applications/new", follow_redirects=True).get_data(as_text=True)
    [select_block] = re.findall(r'<select[^>]*name="facility".*?</select>', page, re.S)
    first = re.search(r"<option([^>]*)>([^<]*)<", select_block)
    assert 'value=""' in first.group(1) and first.group(2) == "請選擇"
    response = choose(family, "", "0609", "parent")
    assert response.status_code == 200
    assert "請選擇矯正機關" in field_error(response.get_data(as_text=True), "facility")
    assert applications(app) == []


def test_an_unsent_application_can_be_discarded_once(app, family):
    from workflows.models import InstanceStatus, ProcessInstance

    assert choose(family, "dunpin-school", "1201", "parent").status_code == 302  # step 2 open
    page = family.get("/applications").get_data(as_text=True)
    [instance_id] = re.findall(r'action="/applications/drafts/(\d+)/discard"', page)
    url = f"/applications/drafts/{instance_id}/discard"
    other = logged_in(app, *make_family(app, "other@example.tw"))
    refused = other.post(url, data={"csrf_token": csrf_token(other, "/applications")})
    assert refused.status_code == 404
    token = csrf_token(family, "/applications")
    discarded = family.post(url, data={"csrf_token": token}, follow_redirects=True)
    page = discarded.get_data(as_text=True)
    assert "已捨棄" in page and "/discard" not in page
    query = select(ProcessInstance.status).where(ProcessInstance.id == int(instance_id))
    [status] = read(app, query)
    assert status == InstanceStatus.CANCELLED
    assert open_tasks(app, process_id="service_application") == []
    again = family.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "這項作業已經有人處理完成" in again.get_data(as_text=True)  # a second click
    assert applications(app) == []
