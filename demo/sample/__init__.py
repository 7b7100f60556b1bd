"""The sample city that `jinlin serve` and `jinlin seed demo` load: two compounds with every
feature in use, and the demo tokens."""
