"""New catalog entries from a papers listing page: the page read into entries, entries into draft files.

Drafts go the other way from the rest of the core: from a page a person copied to YAML files
they confirm and complete, checked against the catalog that is there already.
"""
