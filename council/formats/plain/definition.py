"""The plain round as the registry sees it: nothing beyond the five steps."""
from __future__ import annotations

from flask_babel import gettext as _

from council.formats import Format, register


def label() -> str:
    return _("Plain round")


# Lists of sessions do not name it: a plain round goes without saying.
FORMAT = register(Format(name="plain", label=label, named=False))
