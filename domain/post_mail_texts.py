"""The texts of the e-mails about posts and suspensions, in Traditional Chinese with English below.

As with the account e-mails (`mail_texts`), each message carries both languages.
"""

from __future__ import annotations

from .mail_texts import PRODUCT


def _bilingual(name: str, zh: str, en: str, link: str) -> str:
    return f"{name} 您好：\n\n{zh}\n\n{link}\n\n---\nHello {name},\n\n{en}\n\n{link}\n"


def post_decided(name: str, title: str, label: str, approved: bool, reason: str, link: str):
    """The review's outcome of one post."""
    if approved:
        subject = f"【{PRODUCT}】家庭聯絡簿審核通過 / Post approved"
        zh = f"您給 {label} 的家庭聯絡簿「{title}」已審核通過，將由機關轉交。"
        en = f"Your post “{title}” to {label} was approved and will be delivered by the facility."
    else:
        subject = f"【{PRODUCT}】家庭聯絡簿審核未通過 / Post not approved"
        zh = f"您給 {label} 的家庭聯絡簿「{title}」審核未通過。\n原因：{reason}"
        en = f"Your post “{title}” to {label} was not approved.\nReason: {reason}"
    return subject, _bilingual(name, zh, en, link)


def post_delivered(name: str, title: str, label: str, when: str, link: str):
    """The post reached the person inside."""
    subject = f"【{PRODUCT}】家庭聯絡簿已送達 / Post delivered"
    zh = f"您給 {label} 的家庭聯絡簿「{title}」已於 {when} 送達。"
    en = f"Your post “{title}” to {label} was delivered on {when}."
    return subject, _bilingual(name, zh, en, link)


def photo_refused(name: str, title: str, link: str):
    """The photo job could not use the photo; the text is kept for the family to send again."""
    subject = f"【{PRODUCT}】相片無法使用 / The photo could not be used"
    zh = (
        f"您的家庭聯絡簿「{title}」所附相片無法處理。文字已保留，請更換相片（JPG 或 PNG）後再送出。"
    )
    en = (
        f"The photo of your post “{title}” could not be processed. Your text is kept: choose "
        "another photo (JPG or PNG) and send the post again."
    )
    return subject, _bilingual(name, zh, en, link)


def suspension_started(name: str, facility: str, rejections: int, until: str, link: str):
    """Posting at a facility is suspended, with why and until when."""
    subject = f"【{PRODUCT}】家庭聯絡簿暫停使用 / Posting suspended"
    zh = (
        f"因家庭聯絡簿審查退件累計 {rejections} 次，{facility}暫停您發佈家庭聯絡簿的權限"
        f"至 {until}。期滿後自動恢復。"
    )
    en = (
        f"Because {rejections} of your posts were not approved, {facility} has suspended your "
        f"right to post until {until}. It is restored automatically when the period ends."
    )
    return subject, _bilingual(name, zh, en, link)


def suspension_lifted(name: str, facility: str, reason: str, link: str):
    """Posting is possible again."""
    subject = f"【{PRODUCT}】家庭聯絡簿恢復使用 / Posting restored"
    why = f"（{reason}）" if reason else ""
    zh = f"{facility}已恢復您發佈家庭聯絡簿的權限{why}。"
    en = f"{facility} has restored your right to post" + (f" ({reason})." if reason else ".")
    return subject, _bilingual(name, zh, en, link)
