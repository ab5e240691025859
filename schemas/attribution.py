"""Wire-agency attribution: which agencies an article comes from, and the evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    """A piece of text naming the agency, with its span in the record's normalised `text`:
    ``text == record.text[start:end]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: EvidenceKind
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _span_fits_text(self) -> Evidence:
        if self.end - self.start != len(self.text):
            raise ValueError("evidence span must be as long as its text")
        return self


class MetadataCredit(BaseModel):
    """A page's own metadata naming an agency as the article's author or supplier (HTML input only):
    a JSON-LD `author`, `creator`, `publisher`, `sourceOrganization`, `copyrightHolder` or `provider`,
    or a `<meta>` author or byline field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(description="Agency code from the registry.")
    field: str = Field(description="Where the value was read, e.g. 'json-ld:author', 'meta:author'.")
    value: str = Field(description="The value as the page states it, e.g. 'dpa', 'The Associated Press'.")


class AgencyAttribution(BaseModel):
    """One agency and its strongest role (credited > cited > photo)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(description="Agency code from the registry, e.g. 'AFP', 'dpa', 'Reuters'.")
    name: str = Field(description="Canonical name, e.g. 'Agence France-Presse'.")
    role: Role
    evidence: list[Evidence] = Field(
        min_length=1,
        description="Evidence for the role first, then evidence of weaker roles, each in text order; at most ten.",
    )


class Attribution(BaseModel):
    """Agency codes by role, then the detail. The three lists are disjoint and sorted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    credited: list[str] = Field(default_factory=list)
    cited: list[str] = Field(default_factory=list)
    photo: list[str] = Field(default_factory=list)
    is_wire_copy: bool = Field(default=False, description="True when at least one agency is credited.")
    agencies: list[AgencyAttribution] = Field(
        default_factory=list,
        description="Each agency named in the text, with its strongest role and the evidence spans in `text`.",
    )
    metadata: list[MetadataCredit] = Field(
        default_factory=list,
        description="Credits read from the page's metadata (HTML input). An agency credited only there is in "
        "`credited` and here, not in `agencies`, which holds evidence found in the text.",
    )
