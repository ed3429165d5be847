import { registry } from "@web/core/registry";

/**
 * Bookings in Hebrew and in Norwegian, through the real pages: the visitor switches the
 * page's language with the website's language selector (the Book Me page stays the
 * same), books, and reads the widget, the success page and the times in that language.
 * The expected texts are the translations of i18n/he.po and i18n/nb.po.
 */

/** Whether the chevron ``icon`` points left as drawn (its glyph, turned round or not). */
function pointsLeft(icon) {
    const turned = !["none", "matrix(1, 0, 0, 1, 0, 0)"].includes(getComputedStyle(icon).transform);
    return icon.classList.contains("fa-chevron-left") !== turned;
}

function bookingSteps(lang, texts) {
    return [
        {
            content: `The page speaks ${lang}`,
            trigger: `html[lang=${lang}] .o_bookme_widget[data-lang=${lang}]`,
        },
        {
            content: "Pick the first day offered",
            trigger: ".o_bookme_widget .o_bookme_day:first",
            run: "click",
        },
        {
            content: "Pick its first time",
            trigger: ".o_bookme_widget .o_bookme_slot:first",
            run: "click",
        },
        {
            content: "The form's heading and labels are translated",
            trigger: `.o_bookme_form:contains(${texts.details}) label:contains(${texts.name})`,
        },
        {
            content: "Name",
            trigger: ".o_bookme_form input[name=name]",
            run: `edit ${texts.guest}`,
        },
        {
            content: "Email",
            trigger: ".o_bookme_form input[name=email]",
            run: `edit ${texts.email}`,
        },
        {
            content: "Confirm",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The success page, in the same language and at its address",
            trigger: `html[lang=${lang}] .o_bookme_success:contains(${texts.booked})`,
            run() {
                const prefix = `/${texts.urlCode}/book/booking/`;
                if (!window.location.pathname.startsWith(prefix)) {
                    throw new Error(
                        `the booking page is at ${window.location.pathname}, not under ${prefix}`
                    );
                }
            },
        },
        {
            content: "The time is written in that language",
            trigger: `.o_bookme_when:contains(${texts.weekday})`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_bookme_book_in_hebrew", {
    steps: () => [
        {
            content: "The English page first",
            trigger: "html[lang=en-US] .o_bookme_widget",
        },
        {
            content: "Open the website's language selector",
            trigger: ".o_header_language_selector .dropdown-toggle",
            run: "click",
        },
        {
            content: "Choose Hebrew",
            trigger: ".o_header_language_selector a.js_change_lang[data-url_code=he]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Still the Book Me page, right to left",
            trigger: "html[dir=rtl] .o_bookme_page .o_bookme_widget",
            run() {
                if (window.location.pathname !== "/he/book/hanne/consultation") {
                    throw new Error(`switched to ${window.location.pathname}`);
                }
            },
        },
        {
            content: "Month paging points the right-to-left way: next month to the left",
            trigger: ".o_bookme_widget .o_bookme_next_month i",
            run() {
                const next = document.querySelector(".o_bookme_next_month i");
                const previous = document.querySelector(".o_bookme_prev_month i");
                if (!pointsLeft(next) || pointsLeft(previous)) {
                    throw new Error(
                        "the month chevrons point the left-to-right way on a Hebrew page"
                    );
                }
            },
        },
        ...bookingSteps("he-IL", {
            urlCode: "he",
            details: "הפרטים שלך",
            name: "שם",
            booked: "הפגישה שלך נקבעה",
            weekday: "יום",
            guest: "Hila Hebrew",
            email: "hila.hebrew@example.com",
        }),
    ],
});

registry.category("web_tour.tours").add("crm_bookme_book_in_norwegian", {
    steps: () => [
        {
            content: "Month paging points the left-to-right way: next month to the right",
            trigger: ".o_bookme_widget .o_bookme_next_month i",
            run() {
                const next = document.querySelector(".o_bookme_next_month i");
                const previous = document.querySelector(".o_bookme_prev_month i");
                if (pointsLeft(next) || !pointsLeft(previous)) {
                    throw new Error("the month chevrons point the wrong way on a Norwegian page");
                }
            },
        },
        ...bookingSteps("nb-NO", {
            urlCode: "nb_NO",
            details: "Dine opplysninger",
            name: "Navn",
            booked: "Avtalen din er bestilt",
            weekday: "dag",
            guest: "Nora Norsk",
            email: "nora.norsk@example.no",
        }),
    ],
});
