"""``python -m omkijken.cli``: the same as the ``omkijken`` command."""

from omkijken.cli import main

main()
