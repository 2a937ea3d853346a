"""Storage: SQLModel tables, repositories, the unit of work, audit log, outbox, migrations."""
