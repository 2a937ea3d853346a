"""Repositories: the storage side of the service layer's ports, on SQLAlchemy Core."""
