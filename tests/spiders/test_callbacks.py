"""Spider callbacks never return a value from a generator (Scrapy would drop it silently).

Scrapy can check this on every response (``WARN_ON_GENERATOR_RETURN_VALUE``), but it then
parses the callback's source again for each page; the project turns that off and checks
every spider's generator methods here instead, once.
"""

from __future__ import annotations

import inspect

import pytest
from scrapy.utils.misc import is_generator_with_return_value, walk_modules_iter
from scrapy.utils.spider import iter_spider_classes

from crawler import settings

SPIDER_CLASSES = sorted(
    {cls for module in walk_modules_iter("crawler.spiders") for cls in iter_spider_classes(module)},
    key=lambda cls: cls.__name__,
)
#: Every generator function of each spider class, its inherited ones too.
CALLBACKS = [
    (cls.__name__, name, member)
    for cls in SPIDER_CLASSES
    for name, member in inspect.getmembers(cls, inspect.isgeneratorfunction)
]


def test_every_spider_is_checked() -> None:
    assert {name for name, _, _ in CALLBACKS} >= {"ArticleSpider", "CvnSpider"}
    assert ("ArticleSpider", "parse") in {(cls, name) for cls, name, _ in CALLBACKS}


@pytest.mark.parametrize(("spider", "name", "method"), CALLBACKS)
def test_no_generator_returns_a_value(spider: str, name: str, method: object) -> None:
    assert not is_generator_with_return_value(method), f"{spider}.{name} returns a value"


def test_scrapy_does_not_check_each_response_again() -> None:
    assert settings.WARN_ON_GENERATOR_RETURN_VALUE is False
