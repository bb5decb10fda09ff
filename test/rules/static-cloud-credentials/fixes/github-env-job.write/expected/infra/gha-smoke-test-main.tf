# trust for .github/workflows/env-job.yml job smoke-test
