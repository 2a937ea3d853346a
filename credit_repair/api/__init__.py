"""The admin HTTP API under ``/api/v1``: routers by area, bearer-token roles, one
error table, request ids, idempotent POSTs, health and metrics."""
