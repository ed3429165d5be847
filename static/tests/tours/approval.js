import { registry } from "@web/core/registry";

/** A client requests a time on a booking page of a type that needs approval. */
registry.category("web_tour.tours").add("crm_bookme_request_to_book", {
    steps: () => [
        {
            content: "Pick the first offered day",
            trigger: ".o_bookme_widget .o_bookme_grid .o_bookme_day:first",
            run: "click",
        },
        {
            content: "Pick its first time",
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
            content: "The button asks for a request, not a booking",
            trigger: ".o_bookme_form .o_bookme_submit:contains(Request to book)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is received and pending",
            trigger:
                ".o_bookme_request_received:contains(Your request was received):contains(pending)",
        },
        {
            content: "It is a request, not yet an appointment",
            trigger: ".o_bookme_state:contains(Requested)",
        },
    ],
});

/** The host approves a request from To Approve, in the back office. */
registry.category("web_tour.tours").add("crm_bookme_host_approves", {
    steps: () => [
        {
            content: "The request waits under To Approve",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains(Tina Tour)",
            run: "click",
        },
        {
            content: "The form says it waits for a decision",
            trigger: ".o_form_view .o_bookme_pending_banner",
        },
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button.o_bookme_approve",
            run: "click",
        },
        {
            content: "The booking is confirmed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
        {
            content: "and no decision is asked any more",
            trigger: ".o_form_view:not(:has(button.o_bookme_approve))",
        },
    ],
});

/** The guest's booking page shows the approved appointment. */
registry.category("web_tour.tours").add("crm_bookme_guest_sees_confirmed", {
    steps: () => [
        {
            content: "Confirmed, with its calendar file",
            trigger: ".o_bookme_state:contains(Confirmed)",
        },
        {
            content: "No pending notice any more",
            trigger: "body:not(:has(.o_bookme_pending))",
        },
        {
            content: "The calendar file is offered",
            trigger: "a[href$='/ics']",
        },
    ],
});

/** Approve with reschedule: the host clicks another of the free times offered. */
registry.category("web_tour.tours").add("crm_bookme_host_approves_other_time", {
    steps: () => [
        {
            content: "Open Approve with Reschedule",
            trigger: ".o_form_view .o_statusbar_buttons button.o_bookme_approve_reschedule",
            run: "click",
        },
        {
            content: "The requested time is preselected among the free times",
            trigger: ".modal .o_bookme_slot_picker .o_bookme_slot_choice.o_bookme_slot_chosen",
        },
        {
            content: "Click the last free time of the day",
            trigger: ".modal .o_bookme_slot_picker .o_bookme_slot_choice:last",
            run: "click",
        },
        {
            content: "It is now the chosen one",
            trigger: ".modal .o_bookme_slot_picker .o_bookme_slot_choice:last.o_bookme_slot_chosen",
        },
        {
            content: "An internal note",
            trigger: ".modal div[name=internal_note] textarea",
            run: "edit Moved to the end of the day",
        },
        {
            content: "A message for the client",
            trigger: ".modal div[name=message] textarea",
            run: "edit See you later that day",
        },
        {
            content: "Approve",
            trigger: ".modal .o_bookme_wizard_approve",
            run: "click",
        },
        {
            content: "The booking is confirmed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
    ],
});
