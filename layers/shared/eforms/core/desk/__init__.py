"""The payroll desk: service levels, the work queue, claims, messages, completion, registration, four-eyes."""
