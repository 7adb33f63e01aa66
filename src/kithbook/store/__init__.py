"""All SQL lives here. Everything above this package speaks domain objects."""
