"""Photos for the problem list: cleaning, storage, signed links, attaching them."""
