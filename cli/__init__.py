"""relledger's click interface: thin commands that parse, call the ledger, and render."""
