"""The reference data around claims, one module per aggregate.

``speakers``, ``sources`` (with the merge step they share in ``merging``),
``articles``, ``tags`` and ``urls`` (the address check). Reads (finding by name
or slug, type-ahead) live in ``factcheck.reads``; they are re-exported here for
the services that find-or-create.
"""

from __future__ import annotations

from ...reads.profiles import resolve_slug
from ...reads.sources import find_source
from ...reads.speakers import find_speaker, suggest_speakers
from . import pending
from .articles import ArticleInput, create_article, find_existing_article
from .merging import find_or_create
from .sources import (
    SOURCE_FIELDS,
    approve_source_change,
    create_source,
    find_or_create_source,
    merge_sources,
    update_source,
)
from .speakers import (
    SPEAKER_FIELDS,
    approve_speaker_change,
    create_speaker,
    find_or_create_speaker,
    merge_speakers,
    update_speaker,
)
from .tags import tags_from_names
from .urls import check_url

__all__ = [
    "SOURCE_FIELDS",
    "SPEAKER_FIELDS",
    "ArticleInput",
    "approve_source_change",
    "approve_speaker_change",
    "check_url",
    "create_article",
    "create_source",
    "create_speaker",
    "find_existing_article",
    "find_or_create",
    "find_or_create_source",
    "find_or_create_speaker",
    "find_source",
    "find_speaker",
    "merge_sources",
    "merge_speakers",
    "pending",
    "resolve_slug",
    "suggest_speakers",
    "tags_from_names",
    "update_source",
    "update_speaker",
]
