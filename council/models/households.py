from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class Household(Base):
    """One door on a council's household roll: one vote in a per-household poll (一户一票)."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("council_id", "door_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    door_number: Mapped[str] = mapped_column(String(20))
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    owner: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
