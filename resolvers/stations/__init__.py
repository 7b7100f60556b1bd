"""Operations on stations and their duty rosters."""
