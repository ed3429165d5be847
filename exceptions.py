from odoo.exceptions import UserError


class BookmeError(UserError):
    """A booking rule refused an action.

    ``code`` is the stable slug of the JSON API's error object (``slot_unavailable``,
    ``deadline_passed``, ``invalid``...), ``field`` the input at fault, if any. As a
    ``UserError`` it also reads well in the back office.
    """

    def __init__(self, code, message, field=None, status=400):
        super().__init__(message)
        self.code = code
        self.field = field
        self.status = status
