"""``python -m credit_repair`` runs the command line."""

from credit_repair.cli import main

main()
