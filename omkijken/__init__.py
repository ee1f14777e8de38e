"""Omkijken: a neighbourhood platform for hulpvragen, initiatives and volunteer matching."""
