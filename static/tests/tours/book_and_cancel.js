import { registry } from "@web/core/registry";

/**
 * A guest opens the host's Book Me page, picks a day and a time, fills in the form and
 * confirms; then, from the booking page, cancels with "Yes, cancel the appointment".
 */
registry.category("web_tour.tours").add("crm_bookme_book_and_cancel", {
    steps: () => [
        {
            content: "Several days are offered: pick the first one",
            trigger: ".o_bookme_widget .o_bookme_grid .o_bookme_day:first",
            run: "click",
        },
        {
            content: "Pick the first time of that day",
            trigger: ".o_bookme_widget .o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        {
            content: "Name",
            trigger: ".o_bookme_form input[name=name]",
            run: "edit Tina Tour",
        },
        {
            content: "Email",
            trigger: ".o_bookme_form input[name=email]",
            run: "edit tina.tour@example.com",
        },
        {
            content: "Confirm",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The success page",
            trigger: ".o_bookme_success:contains(Your appointment is booked)",
        },
        {
            content: "Cancel from the booking page",
            trigger: "a.o_bookme_cancel_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Confirm the cancellation",
            trigger: "button.o_bookme_cancel_confirm:contains(Yes, cancel the appointment)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The cancellation is confirmed",
            trigger: ".o_bookme_cancelled:contains(Your appointment is cancelled)",
        },
    ],
});
