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
            content: "The current day is chosen on load: go to it in the calendar",
            trigger: ".o_bookme_widget .o_bookme_grid .o_bookme_day.o_bookme_chosen",
            run() {
                this.anchor.focus();
            },
        },
        {
            content:
                "The last day offered is the next one (the calendar pages on if it is in the next month)",
            trigger: ".o_bookme_widget .o_bookme_grid .o_bookme_day.o_bookme_chosen:focus",
            run: "press ArrowRight",
        },
        {
            content: "Choose it",
            trigger: ".o_bookme_widget .o_bookme_grid .o_bookme_day:not(.o_bookme_chosen):focus",
            run: "press Enter",
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
