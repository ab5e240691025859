"""Wire-agency attribution: which agencies an article comes from, and the evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["credited", "cited", "photo"]

# How the evidence credits the agency. Credit kinds make an agency `credited`,
# `source` makes it `cited`, `photo_credit` makes it `photo`.
EvidenceKind = Literal[
    "dateline",
    "byline",
    "credit_line",
    "trailer",
    "copyright",
    "source",
    "photo_credit",
]


class Evidence(BaseModel):
    """A piece of text naming the agency, with its span in the record's normalised `text`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: EvidenceKind
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class AgencyAttribution(BaseModel):
    """One agency and its strongest role (credited > cited > photo)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    role: Role
    evidence: list[Evidence] = Field(min_length=1)


class Attribution(BaseModel):
    """Agency codes by role, then the detail. The three lists are disjoint and sorted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    credited: list[str] = Field(default_factory=list)
    cited: list[str] = Field(default_factory=list)
    photo: list[str] = Field(default_factory=list)
    is_wire_copy: bool = Field(default=False, description="True when at least one agency is credited.")
    agencies: list[AgencyAttribution] = Field(default_factory=list)
