"""Events of the moderation, for the layers above (notifications) to listen to: moderation never
imports who listens. Send them from the services, after the flush, inside the transaction (the
receivers add and flush only; the view commits).

Defined by the notifications engineer (issue 7) for the moderation one (issue 6):
- `content_moderated.send(item, actor=user_or_None, action="hide", reason="…")` after each action
  on an idea or a comment: `item` is the Idea or Comment, `actor` None for an automatic hiding,
  `action` an `ActionKind` value. The item's author is notified with the reason (except for
  "dismiss" and "merge": the workflow already tells about merges).
- `report_filed.send(report, item=idea_or_comment, reporter=user)` after a new report is
  flushed: the community's facilitators (admins when it has none) are notified."""

from blinker import Namespace

_signals = Namespace()

content_moderated = _signals.signal("content-moderated")
report_filed = _signals.signal("report-filed")
