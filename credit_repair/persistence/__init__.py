"""Storage: tables, repositories, unit of work, audit log, outbox and migrations."""
