"""Operations on positions: who holds which title where, from when to when."""
