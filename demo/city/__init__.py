"""A synthetic city at scale for benchmarks and load tests (`jinlin seed city`).

The shape is realistic rather than uniform: compound sizes are skewed, one street holds more
than a tenth of the compounds (the benchmark's street supervisor), firms serve several
compounds, partner units co-build with some, positions have past and current terms, and
issues run through every state of the lifecycle with their timelines. Rows are written in
bulk (COPY on PostgreSQL), and the audit chain is computed as the audit store would, so
`jinlin audit verify` accepts it.
"""

from demo.city.seed import CitySize, seed_city

__all__ = ["CitySize", "seed_city"]
