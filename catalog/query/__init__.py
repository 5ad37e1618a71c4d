"""What is asked of a built catalog: pairs and their points, the frontier, papers, search and selections.

The third stage: a ``Store`` in, plain records out. The app's ``Explorer`` and the command
line ask the same questions here.
"""
