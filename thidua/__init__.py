"""thidua: emulation and commendation (thi đua, khen thưởng) work of a Vietnamese public agency."""
