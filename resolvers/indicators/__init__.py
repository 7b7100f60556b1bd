"""Operations on compound and subtree indicators."""
