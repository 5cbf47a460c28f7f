"""A real SMTP server on loopback (aiosmtpd) and a way to point Celery at another broker for a while."""

import asyncio
import contextlib
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """An SMTP handler that keeps what it accepts and can refuse senders, recipients or messages, or stall."""

    def __init__(self):
        self.messages: list[tuple[tuple[str, ...], bytes]] = []
        self.mail_replies: list[str] = []  # replies to MAIL FROM (in order, any sender) before accepting
        self.rcpt_replies: dict[str, list[str]] = {}  # address -> replies given (in order) before accepting
        self.data_replies: dict[str, list[str]] = {}  # recipient -> replies to DATA (in order) before accepting
        self.stall_on: set[str] = set()  # addresses whose RCPT waits until `release` is set
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_replies:
            return self.mail_replies.pop(0)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.stall_on:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.2 Service shutting down"
        replies = self.rcpt_replies.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if self.data_replies.get(address):
                return self.data_replies[address].pop(0)
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def received_by(self, address) -> int:
        with self.lock:
            return sum(1 for rcpt, _content in self.messages if address in rcpt)


@pytest.fixture
def smtp_server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    try:
        yield recorder
    finally:
        recorder.release.set()
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_TIMEOUT = 5
    return smtp_server


@contextlib.contextmanager
def celery_broker(url):
    """Publish to `url` until the block ends (a closed port stands for a broker that is down)."""
    from committee.celery import app

    def reset():
        app._pool = None
        app.amqp._producer_pool = None

    old = app.conf.broker_url
    app.conf.broker_url = url
    reset()
    try:
        yield app
    finally:
        from committee.outbox import delivery

        app.conf.broker_url = old
        reset()
        delivery._broker_paused_until = 0.0  # the broker is back: publish again at once
