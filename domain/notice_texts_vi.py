"""The family notices in Vietnamese: one function per notice, named and called as in
`mail_texts` and `post_mail_texts`, each returning (subject words, body) in Vietnamese only.

`notice_languages.in_language` puts these first and the usual zh-Hant + English notice after.
Words as on the pages: người đang bị giam giữ (收容人), cơ sở cải huấn (矯正機關),
sổ liên lạc gia đình (家庭聯絡簿), tin nhắn (one post).
"""

from __future__ import annotations


def _letter(name: str, text: str, link: str) -> str:
    return f"Kính gửi {name},\n\n{text}\n\n{link}\n"


def verification(name: str, link: str, minutes: int = 10) -> tuple[str, str]:
    text = (
        f"Bạn đã đăng ký tài khoản Sổ liên lạc gia đình điện tử. Hãy mở đường liên kết dưới "
        f"đây trong vòng {minutes} phút để xác minh tài khoản. Nếu đường liên kết đã hết hạn, "
        "bạn có thể yêu cầu đường liên kết mới ở trang đăng nhập. Nếu bạn không đăng ký, "
        "hãy bỏ qua thư này."
    )
    return "Xác minh tài khoản", _letter(name, text, link)


def registration_conflict(name: str, conflict: str, login_link: str) -> tuple[str, str]:
    if conflict == "email":
        text = (
            "Địa chỉ e-mail này đã có tài khoản. Nếu đó là tài khoản của bạn, hãy đăng nhập; "
            "nếu quên mật khẩu, hãy đặt lại mật khẩu ở trang đăng nhập."
        )
    else:
        text = (
            "Số giấy tờ tùy thân bạn nhập đã có tài khoản. Nếu đó là tài khoản của bạn, hãy "
            "đăng nhập bằng địa chỉ e-mail của tài khoản đó; nếu không, hãy liên hệ cơ sở cải huấn."
        )
    return "Đăng ký chưa hoàn tất", _letter(name, text, login_link)


def password_reset(name: str, link: str) -> tuple[str, str]:
    text = (
        "Hãy mở đường liên kết dưới đây trong vòng một giờ để đặt mật khẩu mới. Nếu bạn không "
        "yêu cầu việc này, hãy bỏ qua thư này; mật khẩu của bạn vẫn giữ nguyên."
    )
    return "Đặt lại mật khẩu", _letter(name, text, link)


def application_received(name: str, label: str, facility: str, link: str) -> tuple[str, str]:
    text = (
        f"Đơn đăng ký sổ liên lạc gia đình với {label} tại cơ sở cải huấn {facility} đã được "
        "gửi. Cơ sở cải huấn sẽ xét duyệt trong vòng một tháng; bạn sẽ nhận được e-mail báo "
        "kết quả, và có thể theo dõi tại:"
    )
    return "Đã nhận đơn đăng ký", _letter(name, text, link)


def application_decided(
    name: str, label: str, approved: bool, reason: str, steps: str, link: str
) -> tuple[str, str]:
    if approved:
        text = (
            f"Đơn đăng ký sổ liên lạc gia đình với {label} đã được duyệt. "
            "Bây giờ bạn có thể gửi tin nhắn."
        )
        return "Đơn đăng ký đã được duyệt", _letter(name, text, link)
    text = (
        f"Đơn đăng ký sổ liên lạc gia đình với {label} không được duyệt.\n"
        f"Lý do: {reason}\nCác bước đề nghị: {steps or '-'}\n"
        "Bạn có thể sửa đơn và gửi lại."
    )
    return "Đơn đăng ký không được duyệt", _letter(name, text, link)


def post_decided(name: str, title: str, label: str, approved: bool, reason: str, link: str):
    if approved:
        text = f"Tin nhắn “{title}” gửi {label} đã được duyệt và sẽ được cơ sở cải huấn chuyển đến."
        return "Tin nhắn đã được duyệt", _letter(name, text, link)
    text = f"Tin nhắn “{title}” gửi {label} không được duyệt.\nLý do: {reason}"
    return "Tin nhắn không được duyệt", _letter(name, text, link)


def post_delivered(name: str, title: str, label: str, when: str, link: str):
    text = f"Tin nhắn “{title}” gửi {label} đã được chuyển đến lúc {when}."
    return "Tin nhắn đã được chuyển đến", _letter(name, text, link)


def photo_refused(name: str, title: str, link: str):
    text = (
        f"Không xử lý được ảnh của tin nhắn “{title}”. Nội dung chữ vẫn được giữ: hãy chọn "
        "ảnh khác (JPG hoặc PNG) và gửi lại tin nhắn."
    )
    return "Không dùng được ảnh", _letter(name, text, link)


def suspension_started(name: str, facility: str, rejections: int, until: str, link: str):
    text = (
        f"Vì đã có {rejections} tin nhắn của bạn không được duyệt, cơ sở cải huấn {facility} "
        f"tạm ngừng quyền gửi tin nhắn của bạn đến {until}. Quyền gửi sẽ tự động được khôi "
        "phục khi hết thời hạn."
    )
    return "Tạm ngừng quyền gửi tin nhắn", _letter(name, text, link)


def suspension_lifted(name: str, facility: str, reason: str, link: str):
    why = f" ({reason})" if reason else ""
    text = f"Cơ sở cải huấn {facility} đã khôi phục quyền gửi tin nhắn của bạn{why}."
    return "Khôi phục quyền gửi tin nhắn", _letter(name, text, link)
