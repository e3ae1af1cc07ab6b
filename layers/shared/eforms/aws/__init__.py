"""Adapters that implement the core's ports on AWS services with boto3."""
