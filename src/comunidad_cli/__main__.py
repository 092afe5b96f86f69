"""`python -m comunidad_cli` runs the same entry point as the `comunidad` script."""

from comunidad_cli.cli import main

main()
