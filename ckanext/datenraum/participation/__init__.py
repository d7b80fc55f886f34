"""Citizen participation: data requests, use cases, comments and their moderation."""
