import { registry } from "@web/core/registry";

/**
 * A guest books an event type that offers two locations and chooses where to meet.
 */
registry.category("web_tour.tours").add("crm_bookme_pick_location", {
    steps: () => [
        {
            content: "Pick the first day",
            trigger: ".o_bookme_widget .o_bookme_grid .o_bookme_day:first",
            run: "click",
        },
        {
            content: "Pick the first time",
            trigger: ".o_bookme_widget .o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        {
            content: "Name",
            trigger: ".o_bookme_form input[name=name]",
            run: "edit Lars Location",
        },
        {
            content: "Email",
            trigger: ".o_bookme_form input[name=email]",
            run: "edit lars@example.com",
        },
        {
            content: "Confirming without a location is refused with a clear message",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
        },
        {
            content: "The form says a place must be chosen",
            trigger: ".o_bookme_form .o_bookme_error:contains(choose where to meet)",
        },
        {
            content: "Choose the office",
            trigger: ".o_bookme_form select[name=location_id]",
            run: "selectByLabel Storgata 1, Oslo",
        },
        {
            content: "Confirm",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The booking page shows the chosen place",
            trigger: ".o_bookme_details:contains(Storgata 1, Oslo)",
        },
    ],
});
