"""What a notification can be about, how often its email goes out, and the calm defaults.

The defaults follow what users of comparable platforms ask for: what concerns one's own ideas
and words arrives at once, what one follows comes once a day, community news once a week, and
facilitators' duties once a day."""

import enum

from flask_babel import lazy_gettext as _l


class Kind(enum.StrEnum):
    COMMENT_ON_MY_IDEA = "comment_on_my_idea"
    REPLY_TO_MY_COMMENT = "reply_to_my_comment"
    MENTION = "mention"
    STATUS_OF_MY_IDEA = "status_of_my_idea"
    MY_IDEA_ADOPTED = "my_idea_adopted"
    MODERATION_OF_MY_CONTENT = "moderation_of_my_content"
    COMMENT_ON_FOLLOWED_IDEA = "comment_on_followed_idea"
    STATUS_OF_FOLLOWED_IDEA = "status_of_followed_idea"
    NEW_IDEA_IN_COMMUNITY = "new_idea_in_community"
    JOIN_REQUEST = "join_request"
    NEW_REPORT = "new_report"


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class Group(enum.StrEnum):
    MINE = "mine"
    FOLLOWED = "followed"
    COMMUNITY = "community"
    FACILITATION = "facilitation"


GROUP_OF = {
    Kind.COMMENT_ON_MY_IDEA: Group.MINE,
    Kind.REPLY_TO_MY_COMMENT: Group.MINE,
    Kind.MENTION: Group.MINE,
    Kind.STATUS_OF_MY_IDEA: Group.MINE,
    Kind.MY_IDEA_ADOPTED: Group.MINE,
    Kind.MODERATION_OF_MY_CONTENT: Group.MINE,
    Kind.COMMENT_ON_FOLLOWED_IDEA: Group.FOLLOWED,
    Kind.STATUS_OF_FOLLOWED_IDEA: Group.FOLLOWED,
    Kind.NEW_IDEA_IN_COMMUNITY: Group.COMMUNITY,
    Kind.JOIN_REQUEST: Group.FACILITATION,
    Kind.NEW_REPORT: Group.FACILITATION,
}

DEFAULT_FREQUENCY = {
    Group.MINE: Frequency.IMMEDIATELY,
    Group.FOLLOWED: Frequency.DAILY,
    Group.COMMUNITY: Frequency.WEEKLY,
    Group.FACILITATION: Frequency.DAILY,
}


def default_frequency(kind: Kind) -> Frequency:
    return DEFAULT_FREQUENCY[GROUP_OF[kind]]


GROUP_LABELS = {
    Group.MINE: _l("Mes idées et mes commentaires"),
    Group.FOLLOWED: _l("Les idées que je suis"),
    Group.COMMUNITY: _l("Les communautés que je suis"),
    Group.FACILITATION: _l("Animation de communautés"),
}

KIND_LABELS = {
    Kind.COMMENT_ON_MY_IDEA: _l("Un commentaire sur une de mes idées"),
    Kind.REPLY_TO_MY_COMMENT: _l("Une réponse à un de mes commentaires"),
    Kind.MENTION: _l("Quelqu'un me mentionne dans un commentaire"),
    Kind.STATUS_OF_MY_IDEA: _l("Le statut d'une de mes idées change (avec la réponse officielle)"),
    Kind.MY_IDEA_ADOPTED: _l("Une de mes idées est adoptée et devient un service"),
    Kind.MODERATION_OF_MY_CONTENT: _l("Une décision de modération sur mes contributions"),
    Kind.COMMENT_ON_FOLLOWED_IDEA: _l("Un commentaire sur une idée que je suis"),
    Kind.STATUS_OF_FOLLOWED_IDEA: _l("Le statut d'une idée que je suis change"),
    Kind.NEW_IDEA_IN_COMMUNITY: _l("Une nouvelle idée dans une communauté que je suis"),
    Kind.JOIN_REQUEST: _l("Une demande d'adhésion à une communauté que j'anime"),
    Kind.NEW_REPORT: _l("Un nouveau signalement à examiner dans une communauté que j'anime"),
}

FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("Immédiatement"),
    Frequency.DAILY: _l("Résumé quotidien"),
    Frequency.WEEKLY: _l("Résumé hebdomadaire"),
    Frequency.NEVER: _l("Jamais"),
}

DIGESTS = (Frequency.DAILY, Frequency.WEEKLY)
