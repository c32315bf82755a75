class BusinessRuleError(Exception):
    """A business rule refused an action. The message is Vietnamese and shown to the user as is.

    `field` optionally names the form field at fault; `row` the row of an import.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
