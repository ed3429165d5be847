import { registry } from "@web/core/registry";

/** The host's free-for-appointment time stands out in the calendar. */
registry.category("web_tour.tours").add("crm_bookme_free_events_calendar", {
    steps: () => [
        {
            content: "The free event is drawn as free-for-appointment time",
            trigger: ".o_calendar_renderer .fc-event.o_bookme_free:contains(Offered to customers)",
        },
        {
            content: "A busy meeting is drawn as usual",
            trigger: ".o_calendar_renderer .fc-event:not(.o_bookme_free):contains(Team meeting)",
        },
    ],
});
