"""Columns typed by the domain's enums, stored as the same short strings as before."""
from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum


def enum_type(kind: type[StrEnum], length: int) -> Enum:
    """A VARCHAR(length) read back as a member of `kind`.

    No native enum type and no generated constraint: the schema stays the plain VARCHAR and the
    named CHECK constraint the migrations created, identical on SQLite and PostgreSQL.
    """
    return Enum(kind, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [m.value for m in members])


def one_of(column: str, members: object, name: str | None = None) -> CheckConstraint:
    """The named CHECK constraint `column IN (...)`, its list taken from the enum, not copied."""
    values = ",".join(f"'{m.value}'" for m in members)  # type: ignore[attr-defined]
    return CheckConstraint(f"{column} IN ({values})", name=name or column)
