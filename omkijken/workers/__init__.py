"""Celery workers: thin tasks that load, call a service or the engine, and write back."""
