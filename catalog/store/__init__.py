"""Where the catalog is kept: the DuckDB database built from the files, and its cache.

The second stage: the schema, the rows each file contributes, the pool of processes that
read many files, the incremental update and its checks, the search index, and the store that
opens it all read-only. Depends on ``catalog.source``, never on ``catalog.query``.
"""
