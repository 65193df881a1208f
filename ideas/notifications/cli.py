"""`flask --app wsgi notifications send`: write the emails that are due (immediate ones, the
daily and weekly digests) into the outbox, deliver it, and exit; for cron or a systemd timer.
`notifications send --worker` does the same in a loop, sleeping between rounds, until stopped
(SIGTERM or Ctrl-C end it after the round in progress)."""

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from ideas.extensions import db
from ideas.notifications import dispatch, outbox
from ideas.notifications.kinds import Frequency
from ideas.notifications.models import EmailStatus, Notification
from ideas.utils import utcnow

log = logging.getLogger(__name__)


@click.group("notifications")
def notifications_cli() -> None:
    """Notification emails (outbox, digests)."""


def _pending_immediate() -> int:
    return db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.email_status == EmailStatus.PENDING,
        Notification.email_frequency == Frequency.IMMEDIATELY)) or 0


def _send_once_with_progress() -> None:
    now = utcnow()
    with click.progressbar(length=_pending_immediate(), label="Notifications") as bar:
        immediate = dispatch.build_immediate(progress=bar.update)
    plans = dispatch.plan_digests(now)
    digests = 0
    with click.progressbar(length=sum(len(p.user_ids) for p in plans), label="Digests") as bar:
        for plan in plans:
            for user_id in plan.user_ids:
                digests += dispatch.build_digest(plan, user_id)
                bar.update(1)
    now = utcnow()  # what was just written is due too
    with click.progressbar(length=len(outbox.due_ids(now, 500)), label="Sending") as bar:
        delivery = outbox.deliver_due(now, progress=bar.update)
    click.echo(f"{immediate} email(s) written, {digests} digest(s) written; "
               f"{delivery.sent} sent, {delivery.retried} to retry, {delivery.failed} failed.")
    if delivery.failed:
        raise SystemExit(1)


def _worker(sleep: int) -> None:
    stop = threading.Event()

    def _stop(signum, _frame):
        log.info("notifications worker: signal %s, stopping after this round", signum)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)
    app = current_app._get_current_object()
    click.echo(f"Notifications worker: a round every {sleep} s (Ctrl-C to stop).")
    while not stop.is_set():
        # A fresh context each round: no session, membership or locale cached from the last.
        with app.app_context():
            try:
                report = dispatch.run_once()
            except Exception:
                log.exception("notifications worker: round failed, retried next round")
                db.session.rollback()
            else:
                if report.immediate or report.digests or report.delivery.sent \
                        or report.delivery.retried or report.delivery.failed:
                    click.echo(f"{utcnow():%Y-%m-%d %H:%M:%S} UTC: {report.immediate} email(s),"
                               f" {report.digests} digest(s); {report.delivery.sent} sent, "
                               f"{report.delivery.retried} to retry, "
                               f"{report.delivery.failed} failed.")
        stop.wait(sleep)
    click.echo("Notifications worker stopped.")


@notifications_cli.command("send")
@click.option("--worker", is_flag=True, help="Keep running: a round, a sleep, and again.")
@click.option("--sleep", type=click.IntRange(min=1), default=None,
              help="Seconds between rounds of the worker (default NOTIFICATIONS_WORKER_SLEEP).")
@with_appcontext
def send_command(worker: bool, sleep: int | None) -> None:
    """Send the notification emails that are due (immediate ones and digests), then exit."""
    if worker:
        _worker(sleep or int(current_app.config["NOTIFICATIONS_WORKER_SLEEP"]))
    else:
        _send_once_with_progress()
