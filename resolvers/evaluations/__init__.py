"""Operations on annual evaluations and the firms' standing (black/white lists)."""
