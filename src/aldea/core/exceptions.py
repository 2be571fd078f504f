class DomainError(Exception):
    """A rule of the programme forbids the requested change; the message says which, for people."""
