"""The branch deliberates first (小區黨支部先議): branch and owners' committee meetings."""
