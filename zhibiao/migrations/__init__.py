"""Alembic migrations of the zhibiao database, shipped in the package so an installed zhibiao can upgrade."""
