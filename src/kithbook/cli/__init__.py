"""The `kithbook` command line: argument handling and rendering over services."""
