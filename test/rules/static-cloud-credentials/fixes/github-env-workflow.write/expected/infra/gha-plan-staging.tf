# trust for .github/workflows/env-workflow.yml job plan
