# trust for .github/workflows/gcp.yml job deploy
