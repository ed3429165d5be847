import { registry } from "@web/core/registry";

/** A salesperson books a customer who phones, from the Bookings list. */
registry.category("web_tour.tours").add("crm_bookme_book_phoning_customer", {
    steps: () => [
        {
            content: "No dead New form: a Book for a Customer button",
            trigger: ".o_control_panel:not(:has(.o_list_button_add)) button.o_bookme_book_customer",
            run: "click",
        },
        {
            content: "The wizard offers free times of the salesperson's type",
            trigger: ".modal .o_bookme_slot_picker .o_bookme_slot_choice",
        },
        {
            content: "The caller's name",
            trigger: ".modal div[name=name] input",
            run: "edit Phil Phoner",
        },
        {
            content: "Email",
            trigger: ".modal div[name=email] input",
            run: "edit phil@example.com",
        },
        {
            content: "Phone",
            trigger: ".modal div[name=phone] input",
            run: "edit +47 555 02",
        },
        {
            content: "The zone is named",
            trigger: ".modal div[name=tz]:contains(Europe/Oslo)",
        },
        {
            content: "Pick the first free time",
            trigger: ".modal .o_bookme_slot_choice:first",
            run: "click",
        },
        {
            content: "It is chosen",
            trigger: ".modal .o_bookme_slot_chosen",
        },
        {
            content: "Book",
            trigger: ".modal button.o_bookme_wizard_book",
            run: "click",
        },
        {
            content: "The booking is open, confirmed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
        {
            content: "for the caller",
            trigger: ".o_form_view div[name=partner_id]:contains(Phil Phoner)",
        },
    ],
});

/** The host reschedules to a time that is taken meanwhile: a plain warning, the sentence. */
registry.category("web_tour.tours").add("crm_bookme_reschedule_taken", {
    steps: () => [
        {
            content: "Reschedule",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_reschedule_wizard]",
            run: "click",
        },
        {
            content: "The dialog is titled",
            trigger: ".modal .modal-title:contains(Reschedule Booking)",
        },
        {
            content: "It names the zone",
            trigger: ".modal div[name=tz]:contains(Europe/Oslo)",
        },
        {
            content: "Pick another free time",
            trigger: ".modal .o_bookme_slot_choice:not(.o_bookme_slot_chosen):last",
            run: "click",
        },
        {
            content: "Apply",
            trigger: ".modal button.o_bookme_wizard_reschedule",
            run: "click",
        },
        {
            content: "A normal warning with the clear sentence",
            trigger:
                ".modal .modal-body:contains(Sorry, this time is not available. Please choose another one.)",
        },
        {
            content: "not the crash dialog",
            trigger:
                "body:not(:has(.modal .modal-title:contains(Oops))):not(:has(.o_error_detail))",
        },
        {
            content: "Close it",
            trigger:
                ".modal:has(.modal-body:contains(this time is not available)) .modal-footer button.btn-primary",
            run: "click",
        },
    ],
});

/** A new user switches Book Me on in their preferences and is told what happens next. */
registry.category("web_tour.tours").add("crm_bookme_enable_book_me", {
    steps: () => [
        {
            content: "Open the user menu",
            trigger: ".o_user_menu button",
            run: "click",
        },
        {
            content: "My Preferences",
            trigger: "[data-menu=preferences]",
            run: "click",
        },
        {
            content: "The Book Me tab",
            trigger: ".modal .o_notebook a.nav-link:contains(Book Me)",
            run: "click",
        },
        {
            content: "Activate Book Me",
            trigger: ".modal div[name=bookme_enabled] input[type=checkbox]",
            run: "click",
        },
        {
            content: "The page address shows at once, with a copy button",
            trigger:
                ".modal .o_bookme_onboarding div[name=bookme_url]:contains(/book/nina-newbie) .o_clipboard_button",
        },
        {
            content: "The mode and the next step are said",
            trigger:
                ".modal .o_bookme_onboarding .o_bookme_next_step:contains(Automatic mode):contains(Next:)",
        },
        {
            content: "Save",
            trigger: ".modal button[name=preference_save]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved (the web client reloads with the new preferences)",
            trigger: ".o_main_navbar",
        },
    ],
});

/** The same from the bookings calendar: a click on a time of next week books that day. */
registry.category("web_tour.tours").add("crm_bookme_book_from_calendar", {
    steps: () => [
        {
            content: "The calendar view",
            trigger: ".o_control_panel .o_switch_view.o_calendar",
            run: "click",
        },
        {
            content: "Next week",
            trigger: ".o_calendar_view .o_calendar_button_next",
            run: "click",
        },
        {
            content: "Click on 10:00 in the week",
            trigger: ".o_calendar_view .fc-timegrid-slot-lane[data-time='10:00:00']",
            run: "click",
        },
        {
            content: "Book for a Customer opens, with free times that day",
            trigger: ".modal:has(.modal-title:contains(Book for a Customer)) .o_bookme_slot_choice",
        },
        {
            content: "The caller's name",
            trigger: ".modal div[name=name] input",
            run: "edit Cal Caller",
        },
        {
            content: "Email",
            trigger: ".modal div[name=email] input",
            run: "edit cal@example.com",
        },
        {
            content: "Pick the first free time",
            trigger: ".modal .o_bookme_slot_choice:first",
            run: "click",
        },
        {
            content: "Book",
            trigger: ".modal:has(.o_bookme_slot_chosen) button.o_bookme_wizard_book",
            run: "click",
        },
        {
            content: "The booking is confirmed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
    ],
});

/** Notice in hours or days: the event type form shows 2 hours, the host sets 1 day. */
registry.category("web_tour.tours").add("crm_bookme_notice_in_days", {
    steps: () => [
        {
            content: "The notice reads as 2 hours",
            trigger:
                ".o_form_view div[name=min_notice] .o_bookme_duration:has(input.o_bookme_duration_amount) select.o_bookme_duration_unit:has(option[value='60']:selected)",
        },
        {
            content: "Days",
            trigger: ".o_form_view div[name=min_notice] select.o_bookme_duration_unit",
            run: "select 1440",
        },
        {
            content: "One day",
            trigger: ".o_form_view div[name=min_notice] input.o_bookme_duration_amount",
            run: "edit 1",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
