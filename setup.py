"""Only for ``scrapyd-deploy``, which builds an egg with ``setup.py bdist_egg``; everything
(metadata, package data, the scrapy entry point) is declared in pyproject.toml."""

from setuptools import setup

setup()
