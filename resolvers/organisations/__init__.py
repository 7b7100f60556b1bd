"""Operations on the organisation tree and the links between organisations."""
