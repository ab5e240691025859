"""The wire contract: pydantic models and their exported JSON Schema files."""
