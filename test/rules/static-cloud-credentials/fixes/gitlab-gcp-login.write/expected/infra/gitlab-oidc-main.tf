# role for deploy-gcp
