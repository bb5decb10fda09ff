# trust for .github/workflows/azure.yml job login
