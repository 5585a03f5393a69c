"""`python -m nposition`."""

from nposition.cli import main

main()
