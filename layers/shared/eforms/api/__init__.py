"""HTTP API glue shared by the API functions: parsing requests, answering errors, shaping views."""
