"""Use cases: the one API that the CLI and the web layer both call."""
