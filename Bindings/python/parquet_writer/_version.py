"""The package's version: the project's one version number (the repository's VERSION file,
written here by `make set-version`; `make test` checks that every copy agrees)."""

__version__ = "0.1.0"
