"""Data for trying and measuring Jinlin: the sample city (`jinlin seed demo`, demo/sample/), the
city-scale synthetic city (`jinlin seed city`, demo/city/) and synthetic compounds for tests.

It sits above the resolvers, beside schema: it may use the domain rules, never GraphQL, and
nothing below imports it.
"""
