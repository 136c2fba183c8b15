"""The texts of the e-mails about a family's own data (a new address), both languages."""

from __future__ import annotations

from .notice_render import PRODUCT


def email_change_link(name: str, link: str) -> tuple[str, str]:
    """To the new address: confirm it before it takes effect."""
    subject = f"【{PRODUCT}】確認新的電子郵件地址 / Confirm your new e-mail address"
    body = (
        f"{name} 您好：\n\n您要求將帳號的電子郵件地址改為本地址。請於 24 小時內點選下方連結確認，"
        f"確認後才會生效：\n\n{link}\n\n若您沒有提出此要求，請忽略此信。\n\n"
        f"---\nHello {name},\n\nYou asked to use this address for your account. Open this link "
        f"within 24 hours to confirm; the change takes effect only then:\n\n{link}\n\n"
        "If you did not ask for this, ignore this message.\n"
    )
    return subject, body


def email_taken(link: str) -> tuple[str, str]:
    """To the new address when it already has an account (the asker is not told on the page)."""
    subject = f"【{PRODUCT}】電子郵件地址未變更 / E-mail address not changed"
    body = (
        "您好：\n\n有人要求將某帳號的電子郵件地址改為本地址，但本地址已有帳號，因此未變更。"
        f"若是您本人，請以本地址登入：\n\n{link}\n\n"
        "---\nHello,\n\nSomeone asked to move an account to this address, but it already has an "
        f"account, so nothing changed. If that account is yours, log in with it:\n\n{link}\n"
    )
    return subject, body


def email_changed(name: str, new_masked: str) -> tuple[str, str]:
    """To the old address, once the new one is confirmed."""
    subject = f"【{PRODUCT}】電子郵件地址已變更 / Your e-mail address was changed"
    body = (
        f"{name} 您好：\n\n您帳號的電子郵件地址已改為 {new_masked}，之後請以新地址登入。"
        "若這不是您本人所為，請立即洽詢矯正機關。\n\n"
        f"---\nHello {name},\n\nThe e-mail address of your account is now {new_masked}; log in "
        "with it from now on. If you did not do this, contact the facility at once.\n"
    )
    return subject, body
