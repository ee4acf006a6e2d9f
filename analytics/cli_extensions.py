"""Imports the modules that add sub-commands to the CLI (each appends to cli.EXTENSIONS)."""
