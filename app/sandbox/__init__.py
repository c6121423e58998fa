"""The practice platform: a real HTTP server with its own SQLite state that speaks both
platforms' dialects, seeds a believable demo shop, simulates customers and injects faults."""
