import { AttendeeCalendarModel } from "@calendar/views/attendee_calendar/attendee_calendar_model";
import { AttendeeCalendarCommonRenderer } from "@calendar/views/attendee_calendar/common/attendee_calendar_common_renderer";
import { patch } from "@web/core/utils/patch";

/** Free-for-appointment events stand out in the calendar: their own look and icon. */
patch(AttendeeCalendarModel.prototype, {
    normalizeRecord(rawRecord) {
        const record = super.normalizeRecord(rawRecord);
        if (rawRecord.bookme_free && !record.titleIcon) {
            record.titleIcon = "fa fa-calendar-check-o";
        }
        return record;
    },
});

patch(AttendeeCalendarCommonRenderer.prototype, {
    eventClassNames({ event }) {
        const classes = super.eventClassNames(...arguments);
        if (this.props.model.records[event.id]?.rawRecord.bookme_free) {
            classes.push("o_bookme_free");
        }
        return classes;
    },
});
