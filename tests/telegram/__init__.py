"""Conversation tests: updates through the real dispatcher on a recording session."""
