"""`flask notifications send --worker` in a real process: it sends what is due round after
round, and stops cleanly on SIGTERM (after the round in progress)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Mailbox, free_port

ROOT = Path(__file__).resolve().parents[2]


def _flask(*args, env, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **kwargs)


def test_the_worker_sends_then_stops_on_sigterm(tmp_path):
    from aiosmtpd.controller import Controller

    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "FLASK_CONFIG": "development", "FLASK_DEBUG": "0",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
           "INSTANCE_DIR": str(tmp_path), "SEARCH_INDEX_DIR": str(tmp_path / "index"),
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port)}
    try:
        assert _flask("db", "upgrade", env=env).wait(timeout=120) == 0
        # One email waiting in the outbox, as a web request or a previous run left it.
        script = (
            "from wsgi import app\n"
            "from ideas.extensions import db\n"
            "from ideas.notifications.models import OutboxEmail\n"
            "with app.app_context():\n"
            "    db.session.add(OutboxEmail(recipient='agent@reseau-canope.fr', kind='mention',"
            " subject='Bonjour', text='Texte', html='<p>Texte</p>', dedup_key='k1'))\n"
            "    db.session.commit()\n")
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                       timeout=120)
        worker = _flask("notifications", "send", "--worker", "--sleep", "1", env=env)
        deadline = time.monotonic() + 60
        while not mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [m["Subject"] for m in mailbox.messages] == ["Bonjour"]
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
        assert worker.returncode == 0, output
        assert "a round every 1 s" in output and "Notifications worker stopped." in output
        assert "1 sent" in output
        assert len(mailbox.messages) == 1
    finally:
        controller.stop()
