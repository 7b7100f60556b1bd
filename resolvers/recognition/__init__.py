"""Mentoring (導師幫帶) and commendations (兩優一先) of branch secretaries."""
