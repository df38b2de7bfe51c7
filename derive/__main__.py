"""``python -m derive``: the same as the ``derive`` command."""

from derive.cli import main

if __name__ == "__main__":
    main()
