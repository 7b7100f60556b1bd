"""Operations on people, and the signed-in caller (me)."""
