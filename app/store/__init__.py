"""The local SQLite cache (issue: the local cache). Plain Python, no Qt."""
