def room(session_id: int, audience: str) -> str:
    """One room per session and audience: console, projector, phones."""
    return f"session:{session_id}:{audience}"


def personal_room(participant_id: int) -> str:
    """Each phone's own room, for what only it (and its household) should see."""
    return f"participant:{participant_id}"
