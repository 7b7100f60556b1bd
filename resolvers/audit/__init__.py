"""Operations on the audit log: entries, filters, the trail shown on records."""
