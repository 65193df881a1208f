"""Query-string parsing that never trusts its input: bad values fall back, big ones are clamped."""

from flask import request

MAX_PAGE = 10_000


def int_arg(name: str, default: int | None = None, minimum: int = 1,
            maximum: int = 2**31 - 1) -> int | None:
    raw = request.args.get(name, "")
    if not raw.isdigit():
        return default
    return max(minimum, min(int(raw), maximum))


def page_arg() -> int:
    return int_arg("page", 1, maximum=MAX_PAGE)


def choice_arg(name: str, allowed) -> str | None:
    value = request.args.get(name)
    return value if value in allowed else None
