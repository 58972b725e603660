"""Real mail servers for the outbox tests (issue 10 item 2), each on a port picked at random
on this machine and stopped by its context manager: an SMTP server (aiosmtpd) that keeps
what it accepted, a socket that accepts and never answers, and a port nobody listens on."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from django.test import override_settings

WAIT_SECONDS = 30


def smtp_settings(port: int, **extra: Any) -> override_settings:
    """Django's SMTP backend, to ``port`` on this machine."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        **extra,
    )


def free_port() -> int:
    """A port nothing listens on now: a connection to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    """What the SMTP server accepted. With ``hold`` set, the first message's DATA waits (the
    sender waits for the answer) until ``release`` is set or the sender goes away."""

    hold: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold and not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)  # cancelled if the sender's connection is lost
        with self.lock:
            self.messages.append(
                {"to": list(envelope.rcpt_tos), "content": envelope.content.decode()}
            )
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


@contextmanager
def smtp_server(port: int | None = None, *, hold: bool = False) -> Iterator[tuple[int, Received]]:
    received = Received(hold=hold)
    port = port or free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        received.release.set()
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word: a hung mail server."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    accepted: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stopping.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        listener.close()
