# trust for .github/workflows/aws-defaults.yml job release
