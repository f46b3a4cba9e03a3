"""The plain round: the room discusses, the facilitator writes the proposals.

`definition.py` registers the format (see `council.formats`)."""
