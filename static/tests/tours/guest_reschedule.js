import { registry } from "@web/core/registry";

/**
 * From the booking page, the guest moves the appointment to another time.
 */
registry.category("web_tour.tours").add("crm_bookme_guest_reschedule", {
    steps: () => [
        {
            content: "Reschedule from the booking page",
            trigger: "a.o_bookme_reschedule_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick the last day offered",
            trigger: ".o_bookme_widget .o_bookme_days .o_bookme_day:last",
            run: "click",
        },
        {
            content: "Pick its first time",
            trigger: ".o_bookme_widget .o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        {
            content: "Confirm the move",
            trigger: "button.o_bookme_reschedule_confirm:contains(Move my appointment to)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The booking page says it moved",
            trigger: ".o_bookme_moved:contains(Your appointment has moved)",
        },
    ],
});
