"""The one domain model both platform adapters map into. Plain Python, no Qt, no I/O."""
