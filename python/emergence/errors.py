"""The one exception the package raises for directories and files that are not what they should be."""


class EmergenceError(Exception):
    """A directory or file is missing, unfinished or malformed; the message names it and says what is missing."""
