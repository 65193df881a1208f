"""Account use cases. They add and flush; the caller commits."""

import functools
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ideas.accounts import passwords
from ideas.accounts.models import Invitation, Role, User
from ideas.accounts.signals import invitation_accepted
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.utils import clean_line, clean_text, utcnow

PASSWORD_MIN_LENGTH = passwords.MIN_LENGTH
PASSWORD_MAX_LENGTH = passwords.MAX_LENGTH


@functools.cache
def _hasher_with(time_cost: int, memory_cost: int) -> tuple[PasswordHasher, str]:
    """A hasher, and a hash to verify against when the email is unknown (equal timing)."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)
    return hasher, hasher.hash("dummy password for timing equality")


def _hasher() -> PasswordHasher:
    return _hasher_with(current_app.config["ARGON2_TIME_COST"],
                        current_app.config["ARGON2_MEMORY_COST"])[0]


def _dummy_hash() -> str:
    return _hasher_with(current_app.config["ARGON2_TIME_COST"],
                        current_app.config["ARGON2_MEMORY_COST"])[1]

GENERIC_LOGIN_ERROR = _l("Adresse électronique ou mot de passe incorrect.")
EMAIL_TAKEN = _l("Un compte existe déjà avec cette adresse électronique.")
REGISTRATION_CLOSED = _l(
    "Les inscriptions se font uniquement sur invitation. Demandez une invitation à votre "
    "animateur ou animatrice."
)
INVALID_RESET_LINK = _l(
    "Ce lien de réinitialisation est invalide, expiré ou déjà utilisé. Demandez-en un nouveau."
)
INVALID_INVITATION = _l("Cette invitation est invalide, expirée ou déjà utilisée.")


def normalize_email(email: str | None) -> str:
    return clean_text(email).lower()


def password_problem(password: str) -> str | None:
    """The reason a password is refused, or None: its length, or a known common or breached
    password. No composition rules (ASVS 2.1.9)."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return _l("Le mot de passe doit contenir au moins %(n)d caractères.",
                  n=PASSWORD_MIN_LENGTH)
    if len(password) > PASSWORD_MAX_LENGTH:
        return _l("Le mot de passe ne doit pas dépasser %(n)d caractères.",
                  n=PASSWORD_MAX_LENGTH)
    if passwords.is_common(password):
        return _l("Ce mot de passe figure parmi les mots de passe courants ou divulgués lors "
                  "de fuites de données : choisissez-en un autre, par exemple une phrase de "
                  "plusieurs mots.")
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise DomainError(problem, field="password")
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    stored = user.password_hash if user is not None else None
    try:
        matches = _hasher().verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and stored is not None


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))


def email_domain_allowed(email: str) -> bool:
    domains = current_app.config["REGISTRATION_ALLOWED_DOMAINS"]
    return not domains or email.rsplit("@", 1)[-1] in domains


def create_user(email: str, display_name: str, password: str | None, *,
                role: Role = Role.AGENT, territory_id: int | None = None,
                locale: str | None = None) -> User:
    """Create an account; with no password it stays invited until its owner sets one."""
    email = normalize_email(email)
    if get_user_by_email(email) is not None:
        raise DomainError(EMAIL_TAKEN, field="email")
    user = User(email=email, display_name=clean_line(display_name) or email.split("@")[0],
                role=role, territory_id=territory_id, locale=locale,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    return user


def register(email: str, display_name: str, password: str, *, territory_id: int | None,
             locale: str | None, invitation: Invitation | None = None) -> User:
    """Self sign-up, subject to the registration mode and allowed domains (unless invited)."""
    email = normalize_email(email)
    if invitation is None:
        if current_app.config["REGISTRATION_MODE"] != "open":
            raise DomainError(REGISTRATION_CLOSED)
        if not email_domain_allowed(email):
            raise DomainError(
                _l("Les inscriptions sont réservées aux adresses %(domains)s.",
                   domains=", ".join("@" + d for d in
                                     current_app.config["REGISTRATION_ALLOWED_DOMAINS"])),
                field="email")
    existing = get_user_by_email(email)
    if existing is not None and existing.is_invited and invitation is not None:
        # An imported (invited) account is activated by its owner through the invitation.
        existing.display_name = clean_line(display_name) or existing.display_name
        existing.password_hash = hash_password(password)
        existing.territory_id, existing.locale = territory_id, locale
        db.session.flush()
        return existing
    return create_user(email, display_name, password, territory_id=territory_id, locale=locale)


def authenticate(email: str, password: str) -> User:
    """The user for these credentials, or one generic error whatever went wrong."""
    user = get_user_by_email(email)
    if not verify_password(user, password) or not user.is_active:
        raise DomainError(GENERIC_LOGIN_ERROR)
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, new_password: str) -> None:
    """New hash, and a new session token: every other session and remember-me cookie ends."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.rotate_session_token()
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user, current_password):
        raise DomainError(_l("Le mot de passe actuel est incorrect."), field="current_password")
    set_password(user, new_password)


# -- Password reset: a signed token bound to the current password hash, hence single-use.

def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "invited").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User:
    try:
        data = _reset_serializer().loads(token,
                                         max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        raise DomainError(INVALID_RESET_LINK) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("p") != _password_fingerprint(user):
        raise DomainError(INVALID_RESET_LINK)
    return user


# -- Invitations: a random token, stored hashed, valid once until it expires.

def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(email: str, invited_by: User | None,
                      community_id: int | None = None) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=normalize_email(email), token_hash=_hash_token(token), invited_by=invited_by,
        community_id=community_id,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def accept_invitation(invitation: Invitation, user: User) -> None:
    invitation.accepted_at = utcnow()
    db.session.flush()
    invitation_accepted.send(invitation, user=user)


def invitation_for_token(token: str) -> Invitation:
    invitation = db.session.scalar(
        db.select(Invitation).filter_by(token_hash=_hash_token(token or "")))
    if invitation is None or invitation.accepted_at or invitation.expires_at < utcnow():
        raise DomainError(INVALID_INVITATION)
    return invitation


# -- Administration

def set_role(user: User, role: Role) -> None:
    user.role = role
    db.session.flush()


def deactivate(user: User) -> None:
    """The agent can no longer log in; their content stays, their sessions end now."""
    user.is_active = False
    user.deactivated_at = utcnow()
    user.rotate_session_token()
    db.session.flush()


def reactivate(user: User) -> None:
    user.is_active = True
    user.deactivated_at = None
    db.session.flush()
