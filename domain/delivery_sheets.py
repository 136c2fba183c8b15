"""Printable delivery sheets (PDF): one approved post per page, for staff to hand over.

Staff print the sheet and give it to the person in custody, who has no screen. The PDF is made
with fpdf2 and Debian's Noto Sans CJK (`fonts-noto-cjk`, installed by `make install`); face 3
of that collection is the Traditional Chinese one. Every text is placed as plain text (never
read as markup) and long bodies wrap. A photo is embedded; a PDF attachment is only named, since
it is printed on its own. No Flask here: callers pass the labels in the reader's language.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_PATH = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TRADITIONAL_CHINESE_FACE = 3
FONT = "NotoSansCJKTC"
MARGIN_MM = 18
LINE_MM = 7
LABEL_WIDTH_MM = 32
# A photo never takes more than this much of the page's height, so the text stays on the sheet.
PHOTO_MAX_HEIGHT_MM = 110


class SheetFontMissing(RuntimeError):
    """The CJK font is not installed (run `make install`, or apt-get install fonts-noto-cjk)."""


@dataclass(frozen=True)
class SheetLabels:
    """The sheet's fixed words, already translated by the caller."""

    heading: str
    facility: str
    call_number: str
    name: str
    date: str
    sender: str
    title: str
    attachment: str
    empty: str  # the only line of a batch with no posts
    relationships: Mapping[str, str]  # relationship code -> its words, e.g. "parent" -> "Parent"


@dataclass(frozen=True)
class Sheet:
    """What one sheet shows; `date` is already formatted in Asia/Taipei time."""

    facility_name: str
    call_number: str
    person_name: str
    date: str
    sender_name: str  # the family member who wrote the post
    relationship: str  # their relationship to the person (a code, as the contact book has it)
    title: str
    body: str
    photo: bytes | None = None  # the photo's plain content
    attachment_name: str | None = None


def render_sheets(sheets: list[Sheet], labels: SheetLabels, font_path: Path = FONT_PATH) -> bytes:
    """The PDF of these sheets, each starting on a new page (an empty batch: one line)."""
    if not Path(font_path).is_file():
        raise SheetFontMissing(str(font_path))
    pdf = FPDF(format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM)
    pdf.add_font(FONT, "", str(font_path), collection_font_number=TRADITIONAL_CHINESE_FACE)
    pdf.set_title(labels.heading)
    if not sheets:
        pdf.add_page()
        pdf.set_font(FONT, size=12)
        pdf.multi_cell(0, LINE_MM, labels.empty, markdown=False)
    for sheet in sheets:
        pdf.add_page()
        _draw(pdf, sheet, labels)
    return bytes(pdf.output())


def _draw(pdf: FPDF, sheet: Sheet, labels: SheetLabels) -> None:
    """One sheet: heading, to whom, when and from whom, the title, the body, then the photo or
    attachment."""
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(0, 10, labels.heading, markdown=False, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT, size=11)
    for label, value in (
        (labels.facility, sheet.facility_name),
        (labels.call_number, sheet.call_number),
        (labels.name, sheet.person_name),
        (labels.date, sheet.date),
        (labels.sender, _sender(sheet, labels)),
    ):
        pdf.cell(LABEL_WIDTH_MM, LINE_MM, label, markdown=False)
        pdf.multi_cell(0, LINE_MM, value, markdown=False, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT, size=14)
    pdf.multi_cell(0, 9, sheet.title, markdown=False, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT, size=12)
    pdf.multi_cell(0, LINE_MM, sheet.body, markdown=False, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    if sheet.photo:
        _photo(pdf, sheet.photo)
    if sheet.attachment_name:
        pdf.set_font(FONT, size=11)
        line = f"{labels.attachment} {sheet.attachment_name}"
        pdf.multi_cell(0, LINE_MM, line, markdown=False, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _sender(sheet: Sheet, labels: SheetLabels) -> str:
    """Who wrote the post and what they are to the person: "王小美 (Parent)"."""
    relationship = labels.relationships.get(sheet.relationship, sheet.relationship)
    return f"{sheet.sender_name} ({relationship})" if relationship else sheet.sender_name


def _photo(pdf: FPDF, data: bytes) -> None:
    """The photo, as large as fits the page width and the height limit, on a new page if the
    rest of this one is too short for a readable picture."""
    width = pdf.epw
    room = pdf.h - pdf.b_margin - pdf.get_y()
    if room < PHOTO_MAX_HEIGHT_MM / 2:
        pdf.add_page()
        room = pdf.h - pdf.b_margin - pdf.get_y()
    height = min(room, PHOTO_MAX_HEIGHT_MM)
    # keep_aspect_ratio fits the image inside the box without stretching it.
    pdf.image(io.BytesIO(data), w=width, h=height, keep_aspect_ratio=True)
