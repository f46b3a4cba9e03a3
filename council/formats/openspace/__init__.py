"""Open Space (开放空间): residents convene groups on the topics they raise, dots rank the
topics, the agenda wall places them, each convener reports key points and concrete needs.

`definition.py` registers the format; this package's `__init__` stays empty so that its
tables and rules import without its services (see `council.formats`)."""
