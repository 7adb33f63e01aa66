"""The web front end: HTML pages, the REST API under /api/v1 and the calendar feed,
all thin adapters over kithbook.services."""
