"""Password hashing (argon2id) and the strength rules every password form applies.

The rules live here, not in a form, so the web forms and the JSON API refuse the same
passwords; forms turn the codes below into messages beside the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from .national_id import normalise

MIN_LENGTH = 10
MAX_LENGTH = 128
# zxcvbn's guess estimate, 0 (guessed at once) to 4; 3 resists an online attack with ease.
MIN_SCORE = 3

# Problem codes returned by strength_problem().
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
CONTAINS_ID = "contains_id"
CONTAINS_EMAIL = "contains_email"
EASY_TO_GUESS = "easy_to_guess"

_hasher = PasswordHasher()


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the argon2 parameters (tests use a cheap profile; hashes stay verifiable, since each
    hash records its own parameters and needs_rehash() upgrades old ones at login)."""
    global _hasher
    _hasher = hasher


def hash_password(plain: str) -> str:
    """An argon2id hash (salt and parameters included) to store instead of the password."""
    return _hasher.hash(plain)


def verify_password(password_hash: str | None, plain: str) -> bool:
    """True if the password matches; False on mismatch or a missing or corrupt hash."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, plain)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (rehash at login)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def birthday_forms(birthday: date | None) -> list[str]:
    """How a birthday is written into passwords: 19850412, 850412, 0412, and the ROC year
    (民國 74 → 740412), so zxcvbn counts it as the person's own, not just as some date."""
    if birthday is None:
        return []
    roc = birthday.year - 1911
    md = f"{birthday.month:02d}{birthday.day:02d}"
    return [f"{birthday:%Y%m%d}", f"{birthday:%y%m%d}", md, f"{roc}{md}", str(birthday.year)]


def strength_problem(
    password: str,
    *,
    national_id: str | None = None,
    email: str | None = None,
    user_inputs: Iterable[str] = (),
) -> str | None:
    """None if the password is acceptable, else the first problem code found.

    A password that contains the person's ID or e-mail is the first thing anyone who knows
    them would try, so both are refused (case-insensitively), as is the e-mail's name part.
    Then zxcvbn estimates how easily it is guessed (common words and passwords, names, dates,
    keyboard rows, 1234 sequences, the person's own `user_inputs`: name, birthday), and a
    score under MIN_SCORE is refused.
    """
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = password.casefold()
    national_id = normalise(national_id)
    if national_id and national_id.casefold() in folded:
        return CONTAINS_ID
    email = (email or "").strip().casefold()
    if email:
        local_part = email.partition("@")[0]
        if email in folded or (len(local_part) >= 4 and local_part in folded):
            return CONTAINS_EMAIL
    own = [value for value in (national_id, email, email.partition("@")[0], *user_inputs) if value]
    if zxcvbn(password, user_inputs=own, max_length=MAX_LENGTH)["score"] < MIN_SCORE:
        return EASY_TO_GUESS
    return None
