"""Public disclosure (兩公開): notices a compound publishes to its residents, their readers and
the questions residents ask on them."""
