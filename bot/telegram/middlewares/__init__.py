"""Middlewares: fresh offer data, interface language, and the conversation per update."""
