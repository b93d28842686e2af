"""The benchmark: the warehouse against a hand-written DuckDB floor and a pandas peer.

Every contender returns the same long table of figures (`figure`, `key`, `value`), see
`bench/warehouse_figures.sql`; `faellesborger_bench.runner` times them and compares.
"""
