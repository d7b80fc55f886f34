"""Who is asking: a person's browser or a machine (API client, crawler, script)?

Crawlers are recognised by the maintained pattern list in ``data/crawler-user-agents.json``
(see ``data/SOURCE.md``). Matching 1,500 patterns costs about a millisecond, so verdicts are
cached per user agent; the cache is keyed by a digest, the agent string itself is not kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pathlib
import re

HUMAN = "h"
MACHINE = "m"

PATTERN_FILE = pathlib.Path(__file__).with_name("data") / "crawler-user-agents.json"
_VERDICT_CACHE_SIZE = 4096
_verdicts: dict[bytes, bool] = {}


@functools.cache
def _crawler_pattern() -> re.Pattern:
    entries = json.loads(PATTERN_FILE.read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{entry['pattern']})" for entry in entries))


def is_crawler(user_agent: str) -> bool:
    if not user_agent.strip():
        return True
    digest = hashlib.blake2b(user_agent.encode("utf-8", "replace"), digest_size=16).digest()
    verdict = _verdicts.get(digest)
    if verdict is None:
        verdict = bool(_crawler_pattern().search(user_agent))
        if len(_verdicts) >= _VERDICT_CACHE_SIZE:
            _verdicts.clear()
        _verdicts[digest] = verdict
    return verdict


def client_class(user_agent: str, *, api: bool) -> str:
    """``MACHINE`` for API calls and crawlers, ``HUMAN`` otherwise."""
    return MACHINE if api or is_crawler(user_agent) else HUMAN
