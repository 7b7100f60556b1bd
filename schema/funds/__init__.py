"""The GraphQL surface of funds (經費與公共收益)."""
