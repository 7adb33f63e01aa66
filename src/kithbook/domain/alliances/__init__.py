"""Alliance rules: pure functions over `AllianceFacts` (see docs/alliance-management.md).

- `facts`: the vocabulary (types, stages, RACI letters) and the frozen facts the store
  hands in;
- `raci`: the RACI checks R1-R13, each finding with a severity and a fix;
- `communication`: under-communication alerts (cadence, silence, one-way traffic,
  slow answers, unconfirmed decisions, overdue actions, single threads);
- `pacing`: objectives against target, linear and to-date;
- `contributions`: the skin-in-the-game ledger, committed against delivered;
- `health`: perception gaps and the composite health score, per side and combined;
- `lifecycle`: the exit criteria of each stage and which of them block the next;
- `evaluation`: the pacing and RACI results computed once, for the health score, the
  findings and the gate to share.

Nothing here reads a clock, a file or a database: `now` / `today` are passed in.
"""
