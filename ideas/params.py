"""Query-string parsing that never trusts its input: numbers out of range are clamped, a choice
outside its allow-list (a sort, a status…) is refused with a 400 that names the parameter."""

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

MAX_PAGE = 10_000


def int_arg(name: str, default: int | None = None, minimum: int = 1,
            maximum: int = 2**31 - 1) -> int | None:
    raw = request.args.get(name, "")
    if not raw.isdigit():
        return default
    return max(minimum, min(int(raw), maximum))


def page_arg() -> int:
    return int_arg("page", 1, maximum=MAX_PAGE)


class UnknownChoice(BadRequest):
    """A sort or filter value no form offers: a hand-edited or forged URL."""

    def __init__(self, name: str):
        super().__init__()
        self.message = _l("Le paramètre « %(name)s » n'accepte pas cette valeur. Utilisez les "
                          "filtres et les tris proposés par la page.", name=name)


def choice_arg(name: str, allowed) -> str | None:
    """The value if allowed; None when absent or empty (a form's "all" option)."""
    value = request.args.get(name)
    if not value:
        return None
    if value not in allowed:
        raise UnknownChoice(name)
    return value
