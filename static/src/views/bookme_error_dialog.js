import { _t } from "@web/core/l10n/translation";
import { odooExceptionTitleMap, WarningDialog } from "@web/core/errors/error_dialogs";
import { registry } from "@web/core/registry";

/**
 * A booking rule's refusal (exceptions.BookmeError, a UserError subclass) is a warning
 * with its clear sentence, like any UserError: never the "Oops! Something went wrong"
 * crash dialog with the sentence hidden in a traceback.
 */
const BOOKME_ERROR = "odoo.addons.crm_bookme.exceptions.BookmeError";
odooExceptionTitleMap.set(BOOKME_ERROR, _t("Not Possible"));
registry.category("error_dialogs").add(BOOKME_ERROR, WarningDialog);
