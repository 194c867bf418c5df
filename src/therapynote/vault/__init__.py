"""The vault: a folder holding the encrypted notebook and its key-related side files."""

from therapynote.vault.vault import Vault

__all__ = ["Vault"]
