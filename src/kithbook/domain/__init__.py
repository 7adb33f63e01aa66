"""Pure rules and records: no I/O, no SQL, no clock reads (callers pass `now`)."""
