"""A synthetic ten-agency world with ground truth, and the scorer that grades tipgraph against it.

``synthworld.cli.synth(seed, persons, out, noise=...)`` writes

- ``<out>/exports/<agency>/<file>``: every file of agency-exports.md (MSDHS, RTP ×3, DSI JSON, OAG, COJ xlsx
  sheet ``คำพิพากษา``, AMLO ×3, PACC, RLPD, DOPA ×3 with the population file in TIS-620) and
  ``exports/dga/envelopes.jsonl`` + ``keys.json``;
- ``<out>/truth/``: ``records.csv``, ``rings.json``, ``money_chains.json``, ``corrupt_officials.json``,
  ``victim_routes.json``, ``noise.csv``, ``noise_summary.csv``, ``config.json`` (docs/contracts.md §2).

``synthworld.cli.score(truth, resolution, detections)`` prints and returns the scores (docs/contracts.md §3).

Choices made where the reference formats leave room:

- DGA carries a share (``NoiseSettings.dga_share``, default 15%) of the rows of ``msdhs_victims``,
  ``rtp_case_persons``, ``pacc_officials`` and ``rlpd_compensation``; a row sent as an envelope is *not* in
  the file. The payload holds the row's cells exactly as the file would have (column name → string).
- ``rtp_case_persons.csv`` has both ``วันเกิด`` and ``อายุ`` columns, like MSDHS: one of the two is filled.
- Dates: BE ``dd/mm/yyyy`` by default in Thai-agency CSVs (sometimes ``yyyy-mm-dd``, ``yyyymmdd`` or a Thai
  month name in BE, as noise); COJ writes a Thai month name; DOPA population ``yyyymmdd`` BE;
  ``dopa_migrant_workers.birth_date``, AMLO, immigration and DSI dates are ISO CE. AMLO timestamps are never
  noised (chains are time-ordered).
- DOPA's population register is clean apart from romanised-name variants: it is the reference the others
  are matched against.
- MSDHS is written UTF-8 with a BOM; the other CSVs UTF-8 without.
- Every world has at least three rings; the first ring always goes through DSI and has a protecting official.

Generation is deterministic: every stage draws from its own ``PCG64([seed, stage])`` stream; nothing
depends on the wall clock, hash seeds, or set order.
"""
