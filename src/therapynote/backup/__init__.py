"""Encrypted backups: create, verify, restore, list and prune.

A backup is one age stream (readable with the standard `age` tool) whose payload is a small
header followed by a SQLCipher snapshot keyed with a fresh per-backup key. See docs/backup.md.
"""
