"""Kithbook: a local-first networking and alliance manager."""


def package_version() -> str:
    """The installed distribution's version (package metadata), the one `pip` reports."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kithbook")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    """`kithbook.__version__`, read from the metadata only when asked (start-up stays fast)."""
    if name == "__version__":
        return package_version()
    raise AttributeError(f"module 'kithbook' has no attribute {name!r}")
