"""The tables of revision 0001, one module per concept. Frozen with that revision:
later schema changes go in new revisions, never here."""
