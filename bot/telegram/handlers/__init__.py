"""One router per concern; each module has ``router() -> Router`` (a fresh router per dispatcher)."""
