"""Sending notifications by e-mail over SMTP (off unless ``smtp_enabled``)."""

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage

from credit_repair.settings import Settings


class SmtpSender:
    """Sends each message over its own SMTP connection; addresses come from the
    notification's payload (``email``) or the configured address book."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        addresses: Mapping[str, str] | None = None,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.addresses = dict(addresses or {})
        self.starttls = starttls
        self.username = username
        self.password = password
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> "SmtpSender":
        password = settings.smtp_password
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.smtp_addresses,
            settings.smtp_starttls,
            settings.smtp_username,
            password.get_secret_value() if password is not None else None,
        )

    def address_of(self, recipient: str, payload: dict) -> str | None:
        return payload.get("email") or self.addresses.get(recipient)

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body, cte="base64")
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)
