"""relledger: an event-sourced ledger of customer relationships.

The package root stays import-light: the CLI imports it on every start.
"""

__version__ = "0.1.0"

# True in the console script's own process, which exits after one command: a read may then
# keep what it decoded out of later garbage collections (``gc.freeze``); a host process
# (tests, an embedding program) keeps its collector untouched.
SHORT_LIVED = False
