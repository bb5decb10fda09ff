# trust for .github/workflows/azure.yml job tenant-only
