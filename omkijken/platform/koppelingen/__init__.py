"""Proposals (voorstellen), koppelingen, diensten and the coordinator's queue: the road from a
hulpvraag and an aanbod to two people who help each other."""
