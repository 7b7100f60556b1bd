"""Operations on the love bank (愛心銀行): volunteer services, points, rewards."""
