"""relledger: an event-sourced ledger of customer relationships.

The package root stays import-light: the CLI imports it on every start.
"""

__version__ = "0.1.0"
