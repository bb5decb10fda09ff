# trust for .github/workflows/azure.yml job functions
