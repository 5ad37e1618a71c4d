"""Where the catalog comes from: finding its files, reading each safely, and the rules across them.

The first stage of the data's way: YAML files in, ``Objective`` and ``Paper`` records and
``Problem``s with their places out. Nothing here knows about DuckDB.
"""
