"""The delivery sheet PDF itself: CJK text as text, wrapping, the photo, one sheet a page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from domain.delivery_sheets import Sheet, SheetFontMissing, SheetLabels, render_sheets
from tests.post_support import pdf_text

LABELS = SheetLabels(
    heading="家庭聯絡簿送達單",
    facility="機關",
    call_number="呼號",
    name="姓名",
    date="日期",
    sender="寄件人",
    title="標題",
    attachment="附件（另行列印）：",
    empty="目前沒有待送達的家庭聯絡簿。",
    relationships={"parent": "父母", "child": "子女"},
)


def sheet(**changes) -> Sheet:
    values = {
        "facility_name": "法務部矯正署臺中看守所",
        "call_number": "0609",
        "person_name": "李大明",
        "date": "2026-12-01",
        "sender_name": "李小華",
        "relationship": "child",
        "title": "家裡一切都好",
        "body": "爸爸，我們很想你。",
    }
    return Sheet(**{**values, **changes})


def test_sheet_holds_the_facility_person_date_title_and_chinese_body():
    text = pdf_text(render_sheets([sheet()], LABELS))
    for expected in ("法務部矯正署臺中看守所", "0609", "李大明", "2026-12-01", "家裡一切都好"):
        assert expected in text
    assert "爸爸，我們很想你。" in text


def test_sheet_names_the_sender_and_their_relationship():
    text = pdf_text(render_sheets([sheet(sender_name="王小美", relationship="parent")], LABELS))
    assert "寄件人" in text and "王小美 (父母)" in text


def test_a_long_body_wraps_onto_more_lines_and_pages():
    body = "今天天氣很好，弟弟考試考了一百分。" * 120
    data = render_sheets([sheet(body=body)], LABELS)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    first_page = reader.pages[0].extract_text().replace("\x00", "")
    assert len(first_page.splitlines()) > 20  # wrapped, not one line running off the page


def test_markup_in_a_post_is_printed_as_written():
    text = pdf_text(render_sheets([sheet(title="<b>hi</b> **bold**", body="<i>x</i>")], LABELS))
    assert "<b>hi</b> **bold**" in text and "<i>x</i>" in text


def test_the_photo_is_embedded(tmp_path: Path):
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (1200, 900), (30, 120, 200)).save(photo, "JPEG")
    reader = PdfReader(io.BytesIO(render_sheets([sheet(photo=photo.read_bytes())], LABELS)))
    assert sum(len(page.images) for page in reader.pages) == 1


def test_a_pdf_attachment_is_named_not_embedded():
    data = render_sheets([sheet(attachment_name="成績單.pdf")], LABELS)
    reader = PdfReader(io.BytesIO(data))
    assert "附件（另行列印）：成績單.pdf" in pdf_text(data).replace(" ", "")
    assert all(not page.images for page in reader.pages)


def test_a_batch_has_one_sheet_a_page():
    sheets = [sheet(call_number=number, title=f"第{n}封") for n, number in enumerate("123", 1)]
    reader = PdfReader(io.BytesIO(render_sheets(sheets, LABELS)))
    assert len(reader.pages) == 3
    for n, page in enumerate(reader.pages, 1):
        assert f"第{n}封" in page.extract_text().replace("\x00", "")


def test_an_empty_batch_says_so():
    assert "目前沒有待送達的家庭聯絡簿。" in pdf_text(render_sheets([], LABELS))


def test_a_missing_font_is_named(tmp_path: Path):
    with pytest.raises(SheetFontMissing):
        render_sheets([sheet()], LABELS, font_path=tmp_path / "none.ttc")
