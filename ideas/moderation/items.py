"""What the moderation acts on: an idea or a comment, and the few things it needs of each."""

import html
import re

import nh3

from ideas.comments.models import Comment
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.moderation.models import SUMMARY_MAX, item_key

# URL segment → kind, and back.
KINDS = {"idees": "idea", "commentaires": "comment"}
SEGMENTS = {kind: segment for segment, kind in KINDS.items()}
_SPACES = re.compile(r"\s+")

Item = Idea | Comment


def kind_of(item: Item) -> str:
    return "idea" if isinstance(item, Idea) else "comment"


def key_of(item: Item) -> str:
    return item_key(kind_of(item), item.id)


def segment_of(item: Item) -> str:
    return SEGMENTS[kind_of(item)]


def idea_of(item: Item) -> Idea:
    return item if isinstance(item, Idea) else db.session.get(Idea, item.idea_id)


def summary_of(item: Item) -> str:
    """The idea's title, or the start of the comment's text: what the log and queue show."""
    if isinstance(item, Idea):
        return item.title[:SUMMARY_MAX]
    text = _SPACES.sub(" ", html.unescape(nh3.clean(item.body_html or "", tags=set()))).strip()
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX - 1] + "…"


def load_item(kind: str, item_id: int) -> Item | None:
    model = Idea if kind == "idea" else Comment
    return db.session.get(model, item_id)


def parse_key(key: str) -> tuple[str, int] | None:
    """"i12" → ("idea", 12); anything else → None (keys come from forms: never trusted)."""
    if len(key) < 2 or key[0] not in "ic" or not key[1:].isdigit() or len(key) > 12:
        return None
    return ("idea" if key[0] == "i" else "comment"), int(key[1:])
