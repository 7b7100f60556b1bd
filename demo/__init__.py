"""Data for trying and measuring Jinlin: the city-scale synthetic city (`jinlin seed city`).

It sits above the resolvers: it may use their rules, and nothing below imports it.
"""
