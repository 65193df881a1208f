"""What the moderation shows in words."""

from flask_babel import lazy_gettext as _l

from ideas.moderation.models import ActionKind, ReportReason, Resolution

REASON_LABELS = {
    ReportReason.OFF_TOPIC: _l("Hors sujet"),
    ReportReason.DUPLICATE: _l("Doublon"),
    ReportReason.DISRESPECTFUL: _l("Irrespectueux"),
    ReportReason.PERSONAL_DATA: _l("Données personnelles"),
    ReportReason.SPAM: _l("Spam"),
    ReportReason.OTHER: _l("Autre"),
}

ACTION_LABELS = {
    ActionKind.HIDE: _l("Masquage"),
    ActionKind.AUTO_HIDE: _l("Masquage automatique"),
    ActionKind.RESTORE: _l("Rétablissement"),
    ActionKind.DISMISS: _l("Signalements classés"),
    ActionKind.LOCK: _l("Verrouillage"),
    ActionKind.UNLOCK: _l("Déverrouillage"),
    ActionKind.PIN: _l("Épinglage"),
    ActionKind.UNPIN: _l("Désépinglage"),
    ActionKind.MERGE: _l("Fusion"),
    ActionKind.EDIT_TITLE: _l("Titre modifié"),
    ActionKind.SUSPEND: _l("Suspension"),
    ActionKind.LIFT_SUSPENSION: _l("Suspension levée"),
}

RESOLUTION_LABELS = {
    Resolution.HIDDEN: _l("masqué"),
    Resolution.RESTORED: _l("rétabli"),
    Resolution.DISMISSED: _l("classé sans suite"),
    Resolution.MERGED: _l("fusionné"),
}
