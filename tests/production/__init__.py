"""Production-strength tests: abuse, errors, pacing, privacy, several instances, webhook."""
