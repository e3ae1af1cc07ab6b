"""The domain core. Nothing in here may import boto3 or any AWS SDK (a test enforces it)."""
