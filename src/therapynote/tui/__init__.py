"""The Textual app. Nothing here is imported by the store, the domain or the CLI's root."""
