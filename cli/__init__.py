"""The `cna` command line, one module per command group, and the terminal channel."""
