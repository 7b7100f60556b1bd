"""Operations on service posts (服務崗位) and in-service party members' registrations."""
