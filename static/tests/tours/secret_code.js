import { registry } from "@web/core/registry";

/**
 * A visitor opens a host's private booking page: the lock view asks for the secret code;
 * a wrong code is refused with a clear message, the right one shows the times, and the
 * visitor books.
 */
registry.category("web_tour.tours").add("crm_bookme_secret_code", {
    steps: () => [
        {
            content: "The page is locked: no times, a code field",
            trigger: ".o_bookme_lock:not(:has(.o_bookme_code_error)) input[name=code]",
            run: "edit 1111",
        },
        {
            content: "Try a wrong code",
            trigger: ".o_bookme_lock .o_bookme_unlock",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The wrong code is refused",
            trigger: ".o_bookme_lock .o_bookme_code_error:contains(This code is not right)",
        },
        {
            content: "Still no times behind the lock",
            trigger: "body:not(:has(.o_bookme_widget)) .o_bookme_lock input[name=code]",
            run: "edit 4821",
        },
        {
            content: "Unlock with the right code",
            trigger: ".o_bookme_lock .o_bookme_unlock",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The times are shown: pick the first day",
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
            run: "edit Cora Code",
        },
        {
            content: "Email",
            trigger: ".o_bookme_form input[name=email]",
            run: "edit cora.code@example.com",
        },
        {
            content: "Book",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Booked",
            trigger: ".o_bookme_success:contains(Your appointment is booked)",
        },
    ],
});
