"""``python -m ledger`` runs the relledger command line."""

from ledger.cli.main import main

main()
