"""The texts of the account e-mails, in Traditional Chinese with English below.

Mail is often read away from the site, by a relative who set the account up for someone else,
so each message carries both languages rather than guessing one.
"""

from __future__ import annotations

PRODUCT = "雲端家庭聯絡簿 e-Family Contact Book"


def verification(name: str, link: str, minutes: int = 10) -> tuple[str, str]:
    subject = f"【{PRODUCT}】帳號驗證 / Verify your account"
    body = (
        f"{name} 您好：\n\n您已在「雲端家庭聯絡簿」註冊帳號。"
        f"請於 {minutes} 分鐘內點選下方連結完成帳號驗證：\n\n"
        f"{link}\n\n連結逾時後，可於登入頁重新寄送驗證信。若您沒有註冊，請忽略此信。\n\n"
        f"---\nHello {name},\n\nPlease verify your account within {minutes} minutes by opening:\n\n"
        f"{link}\n\nIf the link has expired you can ask for a new one on the login page. "
        "If you did not register, ignore this message.\n"
    )
    return subject, body


def registration_conflict(name: str, conflict: str, login_link: str) -> tuple[str, str]:
    """Sent to the address given at registration when it (or the ID) is already registered."""
    subject = f"【{PRODUCT}】註冊未完成 / Registration not completed"
    if conflict == "email":
        zh = "此電子郵件地址已註冊帳號。若是您本人，請直接登入；忘記密碼可於登入頁重設。"
        en = (
            "This e-mail address already has an account. If it is yours, log in; if you "
            "forgot the password, reset it on the login page."
        )
    else:
        zh = (
            "您填寫的身分證明文件號碼已有帳號。"
            "若是您本人，請以原電子郵件登入；如有疑問請洽矯正機關。"
        )
        en = (
            "The ID number you entered already has an account. If it is yours, log in with "
            "its e-mail address; otherwise contact the facility."
        )
    body = f"{name} 您好：\n\n{zh}\n\n{login_link}\n\n---\nHello {name},\n\n{en}\n\n{login_link}\n"
    return subject, body


def password_reset(name: str, link: str) -> tuple[str, str]:
    subject = f"【{PRODUCT}】重設密碼 / Reset your password"
    body = (
        f"{name} 您好：\n\n請於 1 小時內點選下方連結設定新密碼：\n\n{link}\n\n"
        "若您沒有要求重設密碼，請忽略此信，您的密碼不會改變。\n\n"
        f"---\nHello {name},\n\nSet a new password within one hour by opening:\n\n{link}\n\n"
        "If you did not ask for this, ignore this message; your password stays as it is.\n"
    )
    return subject, body
