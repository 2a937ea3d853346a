"""Notifications: read by recipient page by page, and optionally e-mailed."""

import email
import email.policy
import re
import socket
import socketserver
import string
import threading
from datetime import UTC, datetime

import pytest
from apscheduler.triggers.cron import CronTrigger

from credit_repair.mail import SmtpSender
from credit_repair.persistence.notifications import deliver_pending, notifications
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.scheduler.housekeeping import housekeeping_jobs
from credit_repair.settings import Settings
from credit_repair.workflow import notices

SENT_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def queue(engine, clock, *entries: tuple[str, str, dict]) -> list[int]:
    """Queue (recipient, kind, payload) notices with their catalogue text."""
    values = {
        "case_id": 7,
        "due": "2026-03-09 24:00",
        "decision_number": "昆市监罚〔2025〕1号",
        "maximum_end": "2026-02-28",
    }
    with SqlUnitOfWork(engine, clock) as uow:
        ids = [
            notices.send(
                uow, kind, recipient, "instant:7", clock.now(), payload, **values
            )
            for recipient, kind, payload in entries
        ]
        uow.commit()
    return ids


def statuses(engine) -> list[tuple[str, str | None]]:
    with engine.connect() as conn:
        return [(n["status"], n["delivery_error"]) for n in notifications(conn)]


class FakeSender:
    """Knows the office's address; refuses mail to one address."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def address_of(self, recipient: str, payload: dict) -> str | None:
        return payload.get("email") or {"office": "xyb@km.example"}.get(recipient)

    def send(self, to: str, subject: str, body: str) -> None:
        if to == "bounce@km.example":
            raise OSError("550 mailbox unavailable")
        self.sent.append((to, subject, body))


@pytest.mark.storage
class TestReading:
    def test_a_recipient_reads_its_own_notices_page_by_page(self, engine, clock):
        first, _, third = queue(
            engine,
            clock,
            ("office", "upper_level_overdue", {}),
            ("company:3", "instant_forwarded", {}),
            ("office", "upper_level_overdue", {"deadline_id": 9}),
        )
        with engine.connect() as conn:
            page = notifications(conn, "office", limit=1)
            after = notifications(conn, "office", after_id=page[-1]["id"])
        assert [n["id"] for n in page] == [first]
        assert [n["id"] for n in after] == [third]
        assert after[0]["payload"] == {"deadline_id": 9}
        assert (
            after[0]["text"]
            == "案件7已报送上级复核，截至2026-03-09 24:00仍未收到答复，请跟进。"
        )
        assert after[0]["status"] == "pending"


@pytest.mark.storage
class TestDelivery:
    def test_rows_are_marked_sent_failed_or_unaddressed(self, engine, clock):
        queue(
            engine,
            clock,
            ("office", "upper_level_overdue", {}),
            ("company:3", "instant_forwarded", {"email": "bounce@km.example"}),
            ("company:4", "instant_forwarded", {}),
        )
        sender = FakeSender()

        report = deliver_pending(engine, sender, now=lambda: SENT_AT)

        assert (report.sent, report.failed, report.unaddressed) == (1, 1, 1)
        assert statuses(engine) == [
            ("sent", None),
            ("failed", "550 mailbox unavailable"),
            ("unaddressed", None),
        ]
        [(to, subject, body)] = sender.sent
        assert (to, subject) == ("xyb@km.example", "昆明市信用修复通知（instant:7）")
        assert body.startswith("案件7已报送上级复核")
        with engine.connect() as conn:
            assert notifications(conn, "office")[0]["delivered_at"] == SENT_AT

    def test_a_row_is_sent_once(self, engine, clock):
        queue(engine, clock, ("office", "upper_level_overdue", {}))
        sender = FakeSender()
        deliver_pending(engine, sender)
        again = deliver_pending(engine, sender)
        assert (again.sent, len(sender.sent)) == (0, 1)


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command accepted, messages kept."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        lines: list[bytes] | None = None
        for line in self.rfile:
            if lines is not None:
                if line == b".\r\n":
                    self.server.messages.append(b"".join(lines))
                    lines = None
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                lines = []
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class TestSmtpSender:
    def test_sends_chinese_text_to_a_local_server(self, smtp_server):
        port = smtp_server.server_address[1]
        sender = SmtpSender("127.0.0.1", port, "credit@km.example", {"office": "a@b"})

        sender.send("xyb@km.example", "昆明市信用修复通知", "案件7已报送上级复核。")

        [raw] = smtp_server.messages
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert (message["From"], message["To"]) == (
            "credit@km.example",
            "xyb@km.example",
        )
        assert message["Subject"] == "昆明市信用修复通知"
        assert message.get_content().strip() == "案件7已报送上级复核。"

    def test_an_unreachable_server_fails_the_row(self, engine, clock):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        queue(engine, clock, ("office", "upper_level_overdue", {}))
        sender = SmtpSender(
            "127.0.0.1", closed_port, "c@k", {"office": "x@y"}, timeout=2
        )

        report = deliver_pending(engine, sender)

        assert report.failed == 1
        assert statuses(engine)[0][0] == "failed"

    def test_addresses_come_from_the_payload_then_the_settings(self):
        settings = Settings(smtp_addresses={"office": "xyb@km.example"})
        sender = SmtpSender.from_settings(settings)
        assert sender.address_of("office", {}) == "xyb@km.example"
        assert sender.address_of("company:1", {"email": "co@x.cn"}) == "co@x.cn"
        assert sender.address_of("company:2", {}) is None


class TestScheduledJobs:
    def test_housekeeping_runs_at_one_in_the_morning_shanghai_time(self):
        [(job_id, _func, trigger)] = housekeeping_jobs(None, None, Settings())
        assert job_id == "housekeeping"
        cron = CronTrigger(**{k: v for k, v in trigger.items() if k != "trigger"})
        next_run = cron.get_next_fire_time(None, datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
        assert next_run.astimezone(UTC) == datetime(2026, 3, 1, 17, 0, tzinfo=UTC)

    def test_e_mail_is_sent_only_when_switched_on(self):
        jobs = housekeeping_jobs(None, None, Settings(smtp_enabled=True))
        assert [job_id for job_id, _f, _t in jobs] == [
            "housekeeping",
            "notification_delivery",
        ]
        assert jobs[1][2] == {"trigger": "interval", "seconds": 60}


class TestCatalogue:
    def test_every_notice_has_chinese_text(self):
        for kind, notice in notices.CATALOGUE.items():
            fields = {
                f for _, f, _, _ in string.Formatter().parse(notice.template) if f
            }
            text = notices.render(kind, **dict.fromkeys(fields, "X"))
            assert re.search("[\u4e00-\u9fff]{4}", text), kind

    def test_batch_repair_asks_for_the_commitment_letter_afterwards(self):
        text = notices.render(
            "letter_requested", decision_number="昆市监罚〔2025〕5号", due="2026-04-10"
        )
        assert text == (
            "您的行政处罚信息（昆市监罚〔2025〕5号）已通过批量主动修复下线，"
            "请于2026-04-10前提交信用修复承诺书。"
        )
