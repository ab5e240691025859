"""Syndication records: which earlier articles an article shares its text with.

One record per enriched article, keyed by the article id, on `articles.syndication`.
Containment is measured on word shingles of the normalised body: `contained` is the share of
this article's shingles found in the other article, `containing` the share of the other
article's shingles found in this one. A newspaper that keeps part of an agency story and adds
its own paragraphs has a high `contained` and a lower `containing`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal[1] = 1

Derivation = Literal["wholly", "partially", "none"]
OriginBasis = Literal["credited", "inferred"]

_SHARE = {"ge": 0.0, "le": 1.0}


class Copy(BaseModel):
    """An earlier article that shares text with this one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    derivation: Literal["wholly", "partially"] = Field(
        description="How much of this article is taken from the earlier one."
    )
    contained: float = Field(description="Share of this article's shingles found in the earlier one.", **_SHARE)
    containing: float = Field(description="Share of the earlier article's shingles found in this one.", **_SHARE)
    similarity: float = Field(description="Jaccard similarity of the two shingle sets.", **_SHARE)
    agencies: list[str] = Field(default_factory=list, description="Agencies the earlier article credits.")


class Origin(BaseModel):
    """Where the text comes from: an agency and its reference copy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agency: str = Field(description="Agency code, e.g. 'AFP'.")
    article_id: str = Field(description="The agency's reference copy: the earliest article crediting it.")
    basis: OriginBasis = Field(
        description="'credited' when this article credits the agency, 'inferred' when only its text says so."
    )


class UncreditedAgencyCopy(BaseModel):
    """Agency text in this article without a credit to that agency."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agency: str
    share: float = Field(description="Share of this article's shingles taken from the agency's copy.", **_SHARE)
    source_id: str = Field(description="The agency copy the text was found in.")


class VersionDiff(BaseModel):
    """What changed between two versions, by paragraph."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title_changed: bool
    paragraphs_added: int = Field(ge=0)
    paragraphs_removed: int = Field(ge=0)
    paragraphs_changed: int = Field(ge=0)
    words_before: int = Field(ge=0)
    words_after: int = Field(ge=0)
    summary: str = Field(description="The same in a few words, e.g. 'title changed; 2 paragraphs added'.")


class VersionOf(BaseModel):
    """An earlier record of the same article (same id or canonical URL) whose text differs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Id of the earlier version (the same id when the article was updated in place).")
    match: Literal["id", "url"]
    content_hash: str = Field(description="`content_hash` of the earlier version.")
    diff: VersionDiff


class SyndicationRecord(BaseModel):
    """What the syndication stage knows of one article when it arrives."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="SyndicationRecord")

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    content_hash: str | None = None
    at: datetime = Field(description="The article's time in the window: published_at, else when it was received.")
    shingles: int = Field(ge=0, description="Distinct word shingles of the body.")
    derivation: Derivation = Field(description="How much of this article comes from its closest earlier copy.")
    copies: list[Copy] = Field(
        default_factory=list, description="Earlier articles sharing its text, most contained first."
    )
    story: str = Field(description="Cluster id shared by every copy of the story: derived from its first article.")
    origin: Origin | None = None
    uncredited_agency_copy: list[UncreditedAgencyCopy] = Field(
        default_factory=list, description="Agencies whose text it carries without crediting them, largest share first."
    )
    version_of: VersionOf | None = None
