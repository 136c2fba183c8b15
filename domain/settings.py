"""Configuration from environment variables, shared by the web app, the job workers and the CLI.

Every variable is listed in the README's configuration table. Secrets that are not given are
generated once into the instance folder, so the embedded default runs with no set-up and keeps
its keys across restarts.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Generated when missing: a key added in a later release is generated into an existing file too.
GENERATED_SECRETS = {
    "SECRET_KEY": 48,
    "ID_ENCRYPTION_KEY": 32,
    "ID_HASH_KEY": 32,
    "FILE_ENCRYPTION_KEY": 32,
}


def _instance_secrets(instance_path: Path) -> dict[str, str]:
    """Read (or create once) the generated keys kept in the instance folder."""
    path = instance_path / "secrets.json"
    keys = json.loads(path.read_text()) if path.exists() else {}
    missing = {name: n for name, n in GENERATED_SECRETS.items() if not keys.get(name)}
    if missing:
        keys.update({name: secrets.token_urlsafe(n) for name, n in missing.items()})
        instance_path.mkdir(parents=True, exist_ok=True)
        _write_private(path, json.dumps(keys))
    return keys


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner may read, from its first byte on: made with mode 0600 (not
    written readable and restricted after, which a crash in between would leave readable)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)  # a file there before keeps its mode through O_CREAT
        file.write(text)


def _key_list(value) -> tuple[str, ...]:
    """Old keys, still readable during a rotation: a comma-separated string or a JSON list."""
    if isinstance(value, list):
        return tuple(str(v) for v in value if v)
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass
class Settings:
    """All configuration in one place; `from_env()` builds it."""

    instance_path: Path
    database_url: str
    broker_url: str
    secret_key: str
    id_encryption_key: str
    id_hash_key: str
    file_encryption_key: str = ""
    # Keys data may still be encrypted under until `rotate-keys` has finished.
    id_encryption_old_keys: tuple[str, ...] = ()
    file_encryption_old_keys: tuple[str, ...] = ()
    base_url: str = "http://127.0.0.1:5000"
    bpmn_dir: Path = PROJECT_ROOT / "bpmn"
    mail_server: str = ""
    mail_port: int = 587
    mail_username: str = ""
    mail_password: str = ""
    mail_use_tls: bool = True
    mail_sender: str = "雲端家庭聯絡簿 <no-reply@familybook.local>"
    # SMS: an HTTP gateway when SMS_GATEWAY_URL is set (SMS_GATEWAY_TOKEN as a bearer token,
    # SMS_SENDER as the sender, SMS_GATEWAY_TIMEOUT seconds per attempt); otherwise each SMS is
    # a JSON line appended to <instance>/sms.log.
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""
    sms_sender: str = "FamilyBook"
    sms_timeout: float = 10.0
    ratelimit_storage_uri: str = "memory://"
    tick_seconds: int = 30
    embedded_worker: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def mail_dir(self) -> Path:
        return self.instance_path / "mail"

    @property
    def sms_log(self) -> Path:
        return self.instance_path / "sms.log"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> Settings:
        """Build settings from the environment (or a given mapping), then apply overrides."""
        env = dict(os.environ if env is None else env)
        instance_path = Path(env.get("INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()
        generated = _instance_secrets(instance_path)

        def secret(name: str) -> str:
            return env.get(name) or generated[name]

        def old_keys(name: str) -> tuple[str, ...]:
            return _key_list(env.get(name) or generated.get(name))

        values = dict(
            instance_path=instance_path,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'familybook.db'}",
            broker_url=env.get("BROKER_URL", ""),
            secret_key=secret("SECRET_KEY"),
            id_encryption_key=secret("ID_ENCRYPTION_KEY"),
            id_hash_key=secret("ID_HASH_KEY"),
            file_encryption_key=secret("FILE_ENCRYPTION_KEY"),
            id_encryption_old_keys=old_keys("ID_ENCRYPTION_OLD_KEYS"),
            file_encryption_old_keys=old_keys("FILE_ENCRYPTION_OLD_KEYS"),
            base_url=env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            bpmn_dir=Path(env.get("BPMN_DIR") or PROJECT_ROOT / "bpmn"),
            mail_server=env.get("MAIL_SERVER", ""),
            mail_port=int(env.get("MAIL_PORT") or 587),
            mail_username=env.get("MAIL_USERNAME", ""),
            mail_password=env.get("MAIL_PASSWORD", ""),
            mail_use_tls=_bool(env.get("MAIL_USE_TLS"), True),
            mail_sender=env.get("MAIL_SENDER") or cls.mail_sender,
            sms_gateway_url=env.get("SMS_GATEWAY_URL", ""),
            sms_gateway_token=env.get("SMS_GATEWAY_TOKEN", ""),
            sms_sender=env.get("SMS_SENDER") or cls.sms_sender,
            sms_timeout=float(env.get("SMS_GATEWAY_TIMEOUT") or 10),
            ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI") or "memory://",
            tick_seconds=int(env.get("TICK_SECONDS") or 30),
            embedded_worker=_bool(env.get("EMBEDDED_WORKER"), not env.get("BROKER_URL")),
        )
        values.update(overrides)
        return cls(**values)
