"""Log redaction placeholder; replaced by the log redaction work."""

from gunicorn.glogging import Logger


class RedactingGunicornLogger(Logger):
    pass
