"""The declarative base and shared column types, kept importable from here (`council.orm`)."""
from council.orm import NAMING, Base, UTCDateTime, utcnow

__all__ = ["NAMING", "Base", "UTCDateTime", "utcnow"]
