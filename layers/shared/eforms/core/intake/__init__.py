"""Filing a form: validating a submission and creating the case with its first history entry."""
