"""Authorization: the Casbin policy, actor grants from positions, SQL scoping."""
