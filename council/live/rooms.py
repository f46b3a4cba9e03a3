def room(session_id: int, audience: str) -> str:
    """One room per session and audience: console, projector, phones."""
    return f"session:{session_id}:{audience}"


def inbox_room(council_id: int) -> str:
    """The console inbox pages (诉求箱) of one council, open in facilitators' browsers."""
    return f"council:{council_id}:inbox"


def personal_room(participant_id: int) -> str:
    """Each phone's own room, for what only it (and its household) should see."""
    return f"participant:{participant_id}"
