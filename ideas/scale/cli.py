"""`flask --app wsgi seed-scale`: the scale data set for performance work (ideas.scale.seed)."""

import os
import sys
import time

import click

from ideas.scale.seed import SCALE_PASSWORD, ScaleSeedError, Sizes, seed_scale

DEFAULTS = Sizes()


@click.command("seed-scale")
@click.option("--ideas", default=DEFAULTS.ideas, show_default=True, type=click.IntRange(0))
@click.option("--supports", default=DEFAULTS.supports, show_default=True,
              type=click.IntRange(0))
@click.option("--comments", default=DEFAULTS.comments, show_default=True,
              type=click.IntRange(0))
@click.option("--services", default=DEFAULTS.services, show_default=True,
              type=click.IntRange(0))
@click.option("--agents", default=DEFAULTS.agents, show_default=True, type=click.IntRange(4))
@click.option("--communities", default=DEFAULTS.communities, show_default=True,
              type=click.IntRange(1))
@click.option("--seed", default=2026, show_default=True, help="Same seed, same data.")
@click.option("--password", default=SCALE_PASSWORD, show_default=True,
              help="Password of every generated account.")
@click.option("--no-index", is_flag=True, help="Do not rebuild the search index at the end.")
def seed_scale_command(ideas: int, supports: int, comments: int, services: int, agents: int,
                       communities: int, seed: int, password: str, no_index: bool) -> None:
    """Fill an EMPTY database with ten years of generated activity, in bulk (performance
    work only: never on a real database)."""
    sizes = Sizes(ideas=ideas, supports=supports, comments=comments, services=services,
                  agents=agents, communities=communities)
    started = time.perf_counter()

    def progress(length: int, label: str):
        return click.progressbar(length=length, label=f"{label:<28}", file=sys.stderr)

    try:
        report = seed_scale(sizes, progress=progress, seed=seed, password=password,
                            build_index=not no_index)
    except ScaleSeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(", ".join(f"{count:,} {name}" for name, count in report.counts.items()))
    load = os.getloadavg()
    click.echo("Seconds (wall / CPU): " + ", ".join(
        f"{name} {seconds:.0f}/{report.cpu_seconds[name]:.0f}"
        for name, seconds in report.seconds.items())
        + f"; total {time.perf_counter() - started:.0f}/{sum(report.cpu_seconds.values()):.0f}"
        f" (load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs)")
    click.echo(f"Logins (password: {password}):")
    for role, email in report.logins:
        click.echo(f"  {role:<12} {email}")
