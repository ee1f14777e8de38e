"""Moderation: the one queue and the one decision for every moderated kind, and the logboek."""
