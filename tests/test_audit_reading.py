"""The audit page reads as text: fields by label, values in the reader's language, a facility
filter for readers of every facility, and dates that cannot apply said so beside their field."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.accounts import Facility
from domain.audit import AuditEvent
from tests.application_support import STAFF_PASSWORD, logged_in
from tests.conftest import read
from tests.post_support import family_with_book, review_task, send_post, staff
from tests.sql_support import statements_run
from tests.web_support import csrf_token, switch_language
from workflows.clock import clock

AUDITOR = "auditor@example.tw"


def _facility_ids(app) -> dict[str, int]:
    return {f.code: f.id for f in read(app, select(Facility))}


def _log(app, facility: str, *, before=None, after=None, actor="system", days_ago=0) -> None:
    """One event as `record` writes it, at a chosen facility and time."""
    with app.extensions["db"].transaction() as session:
        facility_id = session.scalar(select(Facility.id).where(Facility.code == facility))
        session.add(
            AuditEvent(
                at=clock.now() - timedelta(days=days_ago),
                actor=actor,
                facility_id=facility_id,
                action="roster.transfer",
                object_type="inmate",
                object_id="7",
                before=before,
                after=after,
            )
        )


def test_a_rejection_reason_is_shown_in_the_readers_language_not_as_json(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    url = f"/tasks/{review_task(app)}"
    data = {"csrf_token": csrf_token(reviewer, url), "decision": "reject"}
    assert reviewer.post(url, data=data | {"reason_template": "photo_unrelated"}).status_code < 400
    auditor = logged_in(app, AUDITOR, STAFF_PASSWORD)
    page = auditor.get("/audit?action=post.reject").get_data(as_text=True)
    assert "<dt>原因說明</dt><dd>相片與家庭關懷支持無關。</dd>" in page
    assert "\\u" not in page and "zh_Hant&#34;" not in page and "{&#34;" not in page
    switch_language(auditor, "en")
    english = auditor.get("/audit?action=post.reject").get_data(as_text=True)
    assert "<dt>Reason text</dt><dd>The photo is not related to family care" in english


def test_nested_values_are_fields_of_their_own_and_lists_one_item_a_line(app):
    family_with_book(app)
    after = {
        "summary": {"added": 2, "note": "匯入"},
        "processes": ["post_review", "application_review"],
        "reason_texts": {"en": "Too long.", "vi": "Quá dài."},  # no Chinese: another language
    }
    _log(app, "dunpin-school", after=after)
    page = staff(app, "facility_admin", "dunpin").get("/audit").get_data(as_text=True)
    assert '<dt>摘要</dt><dd><dl class="audit-fields"><div><dt>added</dt><dd>2</dd>' in page
    assert "<dt>備註</dt><dd>匯入</dd>" in page  # a nested key is labelled as any other
    assert "<dt>流程</dt><dd>post_review\napplication_review</dd>" in page
    assert "<dt>原因說明</dt><dd>Too long.</dd>" in page


def test_fields_show_labels_facility_names_yes_no_and_taiwan_time(app):
    family_with_book(app)
    ids = _facility_ids(app)
    before = {"facility_id": ids["taichung-detention"], "juvenile": False}
    after = {
        "facility_id": ids["dunpin-school"],
        "children_under_18": True,
        "publish_at": "2026-12-05T21:45:00+00:00",
        "starts_on": "2026-12-05",
        "shoe_size": 42,  # a key the catalog does not know
    }
    _log(app, "dunpin-school", before=before, after=after)
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/audit").get_data(as_text=True)
    assert "<dt>矯正機關</dt><dd>法務部矯正署臺中看守所</dd>" in page
    assert "<dt>矯正機關</dt><dd>法務部矯正署敦品中學</dd>" in page
    assert "<dt>少年</dt><dd>否</dd>" in page and "<dt>有 18 歲以下子女</dt><dd>是</dd>" in page
    assert "<dt>公告開始</dt><dd>2026-12-06 05:45</dd>" in page  # Asia/Taipei, UTC+8
    assert "<dt>起始日</dt><dd>2026-12-05</dd>" in page  # a day is no moment: as it is
    assert "<dt>shoe_size</dt><dd>42</dd>" in page
    assert '<td data-label="操作者">系統</td>' in page
    switch_language(admin, "en")
    english = admin.get("/audit").get_data(as_text=True)
    assert "<dt>Correctional facility</dt><dd>Taichung Detention Center</dd>" in english
    assert "<dt>Juvenile</dt><dd>No</dd>" in english
    assert '<td data-label="Actor">System</td>' in english


def test_machine_actors_are_named_by_what_they_are(app):
    family_with_book(app)
    _log(app, "dunpin-school", actor="command-line")
    _log(app, "dunpin-school", actor="api-token:3")
    _log(app, "dunpin-school", actor="robot:1")  # an older kind of actor: as recorded
    page = staff(app, "facility_admin", "dunpin").get("/audit").get_data(as_text=True)
    assert ">命令列</td>" in page and ">API 權杖 #3</td>" in page and ">robot:1</td>" in page


def test_an_auditor_of_every_facility_filters_by_facility(app):
    family_with_book(app)
    ids = _facility_ids(app)
    _log(app, "dunpin-school", after={"note": "敦品的事"})
    _log(app, "taichung-detention", after={"note": "臺中的事"})
    auditor = logged_in(app, AUDITOR, STAFF_PASSWORD)
    page = auditor.get("/audit").get_data(as_text=True)
    assert '<select class="input" id="facility" name="facility">' in page
    assert "敦品的事" in page and "臺中的事" in page
    taichung = ids["taichung-detention"]
    chosen = auditor.get(f"/audit?facility={taichung}").get_data(as_text=True)
    assert f'<option value="{taichung}" selected>法務部矯正署臺中看守所</option>' in chosen
    assert "臺中的事" in chosen and "敦品的事" not in chosen
    # A facility that does not exist (or is not a number) filters nothing out.
    for value in ("99999", "x", "99999999999999999999"):
        assert "敦品的事" in auditor.get(f"/audit?facility={value}").get_data(as_text=True)


def test_a_reader_of_one_facility_gets_no_facility_filter_and_cannot_widen_the_scope(app):
    family_with_book(app)
    ids = _facility_ids(app)
    _log(app, "dunpin-school", after={"note": "敦品的事"})
    _log(app, "taichung-detention", after={"note": "臺中的事"})
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get(f"/audit?facility={ids['taichung-detention']}").get_data(as_text=True)
    assert 'id="facility"' not in page
    assert "臺中的事" not in page and "敦品的事" in page
    assert "臺中的事" not in admin.get("/audit?facility=").get_data(as_text=True)


def test_a_start_after_the_end_is_said_beside_the_field_not_an_empty_list(app):
    family_with_book(app)
    _log(app, "dunpin-school", after={"note": "敦品的事"})
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/audit?from=2026-12-10&to=2026-12-01").get_data(as_text=True)
    assert '<p class="field-error" id="from-error">起始日晚於結束日。</p>' in page
    assert 'class="field field--invalid"><label for="from">' in page
    assert "敦品的事" in page  # the range is not applied, as the message says
    garbage = admin.get("/audit?from=garbage").get_data(as_text=True)
    assert 'id="from-error">請以 YYYY-MM-DD 格式輸入日期' in garbage
    assert "敦品的事" in garbage
    fine = admin.get("/audit?from=2026-12-01&to=2026-12-01").get_data(as_text=True)
    assert 'id="from-error"' not in fine


def test_the_page_asks_the_same_number_of_queries_for_one_event_or_many(app):
    family_with_book(app)
    ids = _facility_ids(app)
    auditor = logged_in(app, AUDITOR, STAFF_PASSWORD)
    engine = app.extensions["db"].engine

    def statements() -> int:
        with statements_run(engine) as said:
            assert auditor.get("/audit").status_code == 200
        return len(said)

    _log(app, "dunpin-school", after={"facility_id": ids["dunpin-school"]})
    one = statements()
    for code in ("taichung-detention", "yunlin-second-prison", "dunpin-school"):
        before = {"facility_id": ids["taichung-detention"]}
        _log(app, code, before=before, after={"facility_id": ids[code]}, actor="api-token:1")
    assert statements() == one


def test_coded_values_read_as_words(app):
    family_with_book(app)
    after = {"decision": "reject", "role": "supervisor", "kind": "discipline", "via": "feed"}
    _log(app, "dunpin-school", before={"role": "reviewer"}, after=after)
    page = staff(app, "facility_admin", "dunpin").get("/audit").get_data(as_text=True)
    assert "<dd>退件</dd>" in page and "<dd>主管</dd>" in page and "<dd>審核人員</dd>" in page
    assert "<dd>違規懲罰處分</dd>" in page
    assert "<dd>feed</dd>" in page  # a code with no words here stays as it is
