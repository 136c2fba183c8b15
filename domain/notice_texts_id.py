"""The family notices in Indonesian: one function per notice, named and called as in
`mail_texts` and `post_mail_texts`, each returning (subject words, body) in Indonesian only.

`notice_languages.in_language` puts these first and the usual zh-Hant + English notice after.
Words as on the pages: warga binaan (收容人), lembaga pemasyarakatan (矯正機關),
buku penghubung keluarga (家庭聯絡簿), pesan (one post).
"""

from __future__ import annotations


def _letter(name: str, text: str, link: str) -> str:
    return f"Yth. {name},\n\n{text}\n\n{link}\n"


def verification(name: str, link: str, minutes: int = 10) -> tuple[str, str]:
    text = (
        "Anda telah mendaftar akun Buku Penghubung Keluarga Elektronik. Buka tautan di bawah "
        f"ini dalam {minutes} menit untuk memverifikasi akun Anda. Jika tautan sudah "
        "kedaluwarsa, Anda dapat meminta tautan baru di halaman masuk. Jika Anda tidak "
        "mendaftar, abaikan pesan ini."
    )
    return "Verifikasi akun", _letter(name, text, link)


def registration_conflict(name: str, conflict: str, login_link: str) -> tuple[str, str]:
    if conflict == "email":
        text = (
            "Alamat e-mail ini sudah memiliki akun. Jika itu akun Anda, silakan masuk; jika "
            "lupa kata sandi, buat kata sandi baru di halaman masuk."
        )
    else:
        text = (
            "Nomor identitas yang Anda masukkan sudah memiliki akun. Jika itu akun Anda, masuk "
            "dengan alamat e-mail akun tersebut; jika tidak, hubungi lembaga pemasyarakatan."
        )
    return "Pendaftaran belum selesai", _letter(name, text, login_link)


def password_reset(name: str, link: str) -> tuple[str, str]:
    text = (
        "Buka tautan di bawah ini dalam satu jam untuk membuat kata sandi baru. Jika Anda "
        "tidak memintanya, abaikan pesan ini; kata sandi Anda tidak berubah."
    )
    return "Atur ulang kata sandi", _letter(name, text, link)


def application_received(name: str, label: str, facility: str, link: str) -> tuple[str, str]:
    text = (
        f"Permohonan buku penghubung keluarga untuk {label} di lembaga pemasyarakatan "
        f"{facility} sudah dikirim. Lembaga pemasyarakatan akan memutuskan dalam waktu satu "
        "bulan; Anda akan menerima e-mail, dan dapat memantaunya di:"
    )
    return "Permohonan diterima", _letter(name, text, link)


def application_decided(
    name: str, label: str, approved: bool, reason: str, steps: str, link: str
) -> tuple[str, str]:
    if approved:
        text = (
            f"Permohonan buku penghubung keluarga untuk {label} sudah disetujui. "
            "Sekarang Anda dapat mengirim pesan."
        )
        return "Permohonan disetujui", _letter(name, text, link)
    text = (
        f"Permohonan buku penghubung keluarga untuk {label} tidak disetujui.\n"
        f"Alasan: {reason}\nLangkah yang disarankan: {steps or '-'}\n"
        "Anda dapat memperbaiki permohonan dan mengirimnya lagi."
    )
    return "Permohonan tidak disetujui", _letter(name, text, link)


def post_decided(name: str, title: str, label: str, approved: bool, reason: str, link: str):
    if approved:
        text = (
            f"Pesan “{title}” untuk {label} sudah disetujui dan akan diserahkan oleh lembaga "
            "pemasyarakatan."
        )
        return "Pesan disetujui", _letter(name, text, link)
    text = f"Pesan “{title}” untuk {label} tidak disetujui.\nAlasan: {reason}"
    return "Pesan tidak disetujui", _letter(name, text, link)


def post_delivered(name: str, title: str, label: str, when: str, link: str):
    text = f"Pesan “{title}” untuk {label} sudah diserahkan pada {when}."
    return "Pesan sudah diserahkan", _letter(name, text, link)


def photo_refused(name: str, title: str, link: str):
    text = (
        f"Foto pada pesan “{title}” tidak dapat diproses. Teks Anda tetap tersimpan: pilih "
        "foto lain (JPG atau PNG) dan kirim pesan lagi."
    )
    return "Foto tidak dapat digunakan", _letter(name, text, link)


def suspension_started(name: str, facility: str, rejections: int, until: str, link: str):
    text = (
        f"Karena {rejections} pesan Anda tidak disetujui, lembaga pemasyarakatan {facility} "
        f"menangguhkan hak Anda untuk mengirim pesan sampai {until}. Hak tersebut pulih "
        "otomatis setelah masa penangguhan berakhir."
    )
    return "Hak mengirim pesan ditangguhkan", _letter(name, text, link)


def suspension_lifted(name: str, facility: str, reason: str, link: str):
    why = f" ({reason})" if reason else ""
    text = f"Lembaga pemasyarakatan {facility} telah memulihkan hak Anda untuk mengirim pesan{why}."
    return "Hak mengirim pesan dipulihkan", _letter(name, text, link)
