"""Operations on bearer and partner tokens."""
