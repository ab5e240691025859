"""The pure core: normalisation and attribution. No Kafka, Faust, I/O, clock or environment."""

from wirestream.core.attribution import tag
from wirestream.core.document import Block, NormalisedText
from wirestream.core.normalise import normalise, normalise_html

__all__ = ["Block", "NormalisedText", "normalise", "normalise_html", "tag"]
