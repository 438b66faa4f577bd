"""Command-line entry points of the evidence core; none of them needs a database."""
