#!/usr/bin/env python
"""Django's manage.py for contributors; the installed command is `polku`."""

from polku.cli import main

if __name__ == "__main__":
    main()
