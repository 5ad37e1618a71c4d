"""The core of ``tradeoffs``: the catalog format, its validation, the DuckDB store, search,
frontier math and export. Plain data in, plain data out; nothing here imports the UI.
"""
