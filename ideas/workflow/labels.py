"""French labels of the idea states (DOMAIN.md), translated for English."""

from flask_babel import lazy_gettext as _l

from ideas.ideation.models import IdeaStatus

STATUS_LABELS = {
    IdeaStatus.SUBMITTED: _l("déposée"),
    IdeaStatus.IN_REVIEW: _l("à l'étude"),
    IdeaStatus.SELECTED: _l("retenue"),
    IdeaStatus.PILOTING: _l("en expérimentation"),
    IdeaStatus.ADOPTED: _l("adoptée — devenue service"),
    IdeaStatus.DECLINED: _l("non retenue"),
    IdeaStatus.MERGED: _l("fusionnée"),
    IdeaStatus.WITHDRAWN: _l("retirée"),
}
# DSFR badge kinds, so every page shows a state the same way.
STATUS_BADGES = {
    IdeaStatus.SUBMITTED: "info",
    IdeaStatus.IN_REVIEW: "new",
    IdeaStatus.SELECTED: "success",
    IdeaStatus.PILOTING: "new",
    IdeaStatus.ADOPTED: "success",
    IdeaStatus.DECLINED: "error",
    IdeaStatus.MERGED: None,
    IdeaStatus.WITHDRAWN: "warning",
}
