"""The command line and the terminal app of ``tradeoffs``, a thin layer over ``catalog``."""
