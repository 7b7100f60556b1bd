"""The request context's reads survive a sibling field's failure."""

from __future__ import annotations

from tests.helpers import Api

# coBuildingSummary refuses year 1 while the sibling lists are being read.
FAILING_FIELD_BESIDE_READS = """
query ($c: ID!) { organisation(id: $c) {
  name coBuildingSummary(year: 1) { completed }
  issues(first: 3) { totalCount } positions(first: 3) { totalCount } } }
"""


async def test_a_failing_field_does_not_break_the_connection(api: Api) -> None:
    failed = await api.run(
        FAILING_FIELD_BESIDE_READS, {"c": api.ids["compound_a"]}, as_="secretary"
    )
    assert failed.codes == ["BAD_USER_INPUT"]
    # The same connection (the test's transaction) still answers.
    after = await api.run("query { me { person { name } } }", as_="secretary")
    assert after.ok()["me"]["person"]["name"]
