"""What every part of the domain leans on: time and working days, errors, server-side text, input safety."""
