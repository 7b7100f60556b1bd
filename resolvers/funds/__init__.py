"""Funds (經費與公共收益): street grants to branches, public revenue and its distribution."""
