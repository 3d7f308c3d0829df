"""Subcommands of ``python -m bot``; each module has ``main(argv) -> int``."""
