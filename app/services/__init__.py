"""Use cases between the UI and the platform/store: plain Python, no Qt."""
