"""sro-bot: answers questions about school resource officers from curated FAQ knowledge."""

__version__ = "0.1.0"
