"""The wire dialects the practice platform speaks over one shared state."""
