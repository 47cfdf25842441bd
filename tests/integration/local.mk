# tests/integration/: (filled in as the folder grows)
