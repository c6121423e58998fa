"""The platform client: one async signed transport, two adapters, one typed interface."""
