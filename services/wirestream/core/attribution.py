"""Attribution: which wire agencies an article credits, cites, or shows photos from.

First cut: credit lines only.
"""

from __future__ import annotations

import re

from wirestream.core.document import NormalisedText
from wirestream.schemas.attribution import AgencyAttribution, Attribution, Evidence

_AGENCIES = {"AFP": "Agence France-Presse", "dpa": "Deutsche Presse-Agentur", "Reuters": "Reuters", "AP": "Associated Press"}
_NAME = re.compile(r"\b(AFP|dpa|Reuters|AP)\b", re.IGNORECASE)
_CANON = {code.lower(): code for code in _AGENCIES}


def tag(doc: NormalisedText) -> Attribution:
    found: dict[str, list[Evidence]] = {}
    for block in doc.blocks:
        if block.kind != "credit":
            continue
        for m in _NAME.finditer(doc.text, block.start, block.end):
            code = _CANON[m.group(1).lower()]
            found.setdefault(code, []).append(
                Evidence(kind="credit_line", text=doc.text[block.start : block.end], start=block.start, end=block.end)
            )
    agencies = [AgencyAttribution(code=c, name=_AGENCIES[c], role="credited", evidence=e) for c, e in sorted(found.items())]
    credited = sorted(found)
    return Attribution(credited=credited, is_wire_copy=bool(credited), agencies=agencies)
