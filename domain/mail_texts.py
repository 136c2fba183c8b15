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


def application_received(name: str, label: str, facility: str, link: str) -> tuple[str, str]:
    subject = f"【{PRODUCT}】服務申請已送出 / Application received"
    body = (
        f"{name} 您好：\n\n您對{facility} {label} 的家庭聯絡簿服務申請已送出，"
        "機關將於 1 個月內完成審核，"
        f"結果會以電子郵件通知，也可於此查詢：\n{link}\n\n---\nHello {name},\n\n"
        f"Your application for the family contact book of {label} at {facility} has been sent. "
        f"The facility decides within one month; you will get an e-mail, and can follow it "
        f"at:\n{link}\n"
    )
    return subject, body


def application_decided(
    name: str, label: str, approved: bool, reason: str, steps: str, link: str
) -> tuple[str, str]:
    if approved:
        subject = f"【{PRODUCT}】申請審核通過 / Application approved"
        zh = f"您對 {label} 的家庭聯絡簿申請已審核通過，現在可以發佈家庭聯絡簿。"
        en = f"Your application for the family contact book of {label} was approved."
    else:
        subject = f"【{PRODUCT}】申請審核未通過 / Application not approved"
        zh = f"您對 {label} 的家庭聯絡簿申請審核未通過。\n原因：{reason}\n建議步驟：{steps or '－'}"
        en = (
            f"Your application for the family contact book of {label} was not approved.\n"
            f"Reason: {reason}\nSuggested steps: {steps or '-'}\n"
            "You can correct the application and send it again."
        )
    body = f"{name} 您好：\n\n{zh}\n\n{link}\n\n---\nHello {name},\n\n{en}\n\n{link}\n"
    return subject, body


def review_overdue(label: str, facility: str, link: str) -> tuple[str, str]:
    subject = f"【{PRODUCT}】申請審核逾期 / Application review overdue"
    body = (
        f"{facility} 主管您好：\n\n{label} 的家庭聯絡簿申請已超過 1 個月未完成審核，請協助處理：\n"
        f"{link}\n\n---\nAn application for the family contact book of {label} has waited "
        f"over a month for a decision at {facility}. Please follow it up:\n{link}\n"
    )
    return subject, body
