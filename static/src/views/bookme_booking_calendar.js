import { registry } from "@web/core/registry";
import { serializeDate } from "@web/core/l10n/dates";
import { calendarView } from "@web/views/calendar/calendar_view";
import { CalendarController } from "@web/views/calendar/calendar_controller";

/**
 * The bookings calendar: a click on a free cell opens "Book for a Customer" on that day
 * (bookings are only made through the booking path, never as a bare record).
 */
export class BookmeBookingCalendarController extends CalendarController {
    createRecord(record) {
        const context = {};
        if (record?.start) {
            context.default_date = serializeDate(record.start);
        }
        return this.action.doAction("crm_bookme.action_bookme_book_customer", {
            additionalContext: context,
            onClose: () => this.model.load(),
        });
    }
}

registry.category("views").add("bookme_booking_calendar", {
    ...calendarView,
    Controller: BookmeBookingCalendarController,
});
