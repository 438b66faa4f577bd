"""The Django-free evidence core: parse, extract, check, pool, rate and summarize.

Nothing in this package imports Django or Wagtail (an import-linter contract in
``pyproject.toml`` enforces it), so every statistic can be computed and tested
as plain Python.
"""
