"""Territories (siège, directions, Ateliers Canopé) and themes (RSE, organisation apprenante)."""

import enum

from flask_babel import get_locale
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.extensions import db, str_enum


class TerritoryKind(enum.StrEnum):
    HEADQUARTERS = "siege"
    DIRECTORATE = "direction"
    ACADEMIC = "academique"
    ATELIER = "atelier"
    SERVICE = "service"


class Territory(db.Model):
    __tablename__ = "territories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[TerritoryKind] = mapped_column(
        str_enum(TerritoryKind, 20)
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped["Territory | None"] = relationship(remote_side=[id])

    def __str__(self) -> str:
        return self.name


class ThemeAxis(enum.StrEnum):
    CSR = "rse"
    LEARNING = "organisation-apprenante"


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    axis: Mapped[ThemeAxis] = mapped_column(
        str_enum(ThemeAxis, 30)
    )
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def name(self) -> str:
        """The name in the interface language."""
        locale = get_locale()
        return self.name_en if locale and locale.language == "en" else self.name_fr

    def __str__(self) -> str:
        return self.name
