import { registry } from "@web/core/registry";

/**
 * A website page holding the "Booking" block shows the type's booking calendar in an
 * iframe, without the website's header and footer, and the visitor can pick a time there.
 */
registry.category("web_tour.tours").add("crm_bookme_booking_snippet", {
    steps: () => [
        {
            content: "The block holds the booking page in an iframe",
            trigger: ".s_bookme iframe.s_bookme_iframe",
        },
        {
            content: "The embedded page shows the days",
            trigger: ":iframe .o_bookme_embed .o_bookme_widget .o_bookme_day",
            run: "click",
        },
        {
            content: "and the times",
            trigger: ":iframe .o_bookme_widget .o_bookme_slot",
        },
        {
            content: "without the website's header",
            trigger: ":iframe body:not(:has(header#top))",
        },
    ],
});
