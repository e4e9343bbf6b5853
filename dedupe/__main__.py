"""``python -m dedupe`` runs the CLI."""

from .cli import main

main()
