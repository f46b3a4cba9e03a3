def room(session_id: int, audience: str) -> str:
    """One room per session and audience: console, projector, phones."""
    return f"session:{session_id}:{audience}"
