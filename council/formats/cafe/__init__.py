"""World Café (世界咖啡馆): rounds at small tables, hosts stay and the others travel, each
table harvests ideas, dots rank the harvest.

`definition.py` registers the format; this package's `__init__` stays empty so that its
tables and rules import without its services (see `council.formats`)."""
