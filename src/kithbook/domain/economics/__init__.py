"""Alliance economics, pure: royalties and revenue shares, buying-group savings and their
fair allocation, joint bids, exit settlement and reconciliation, all in Decimal over an
append-only ledger (docs/economics.md). No I/O, no clock: dates come in as arguments."""
