"""Read-through caching, the one pattern every cached page uses (settings.CACHES: per-process memory caches)."""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

T = TypeVar("T")


def cached(alias: str, key: str, build: Callable[[], T], seconds: int | None = None) -> T:
    """The value cached under `key` in the cache `alias`, or `build()`'s, cached now for `seconds` (None: the
    alias's own TIMEOUT). The keys carry the data's version, so an entry is never stale, only unused."""
    cache = caches[alias]
    value = cache.get(key)
    if value is None:
        value = build()
        if seconds is None:
            cache.set(key, value)
        else:
            cache.set(key, value, seconds)
    return value
