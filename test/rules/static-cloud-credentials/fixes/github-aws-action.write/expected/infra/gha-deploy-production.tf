# trust for .github/workflows/aws-action.yml job deploy
