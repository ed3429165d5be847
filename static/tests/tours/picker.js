import { fill, press } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

/**
 * Tours of the booking page's picker: a phone-sized booking, a keyboard-only booking, a
 * guest-zone type seen from New York, the month paging and a time taken meanwhile.
 * Values the test knows (a date) come in the page's URL hash: #key=value&key=value.
 */

function hashParam(name) {
    return new URLSearchParams(window.location.hash.slice(1)).get(name);
}

function fail(message) {
    throw new Error(message);
}

function active() {
    return document.activeElement;
}

/** Tab (keyboard only) until the focused element matches ``selector``. */
async function tabTo(selector, max = 80) {
    for (let i = 0; i < max; i++) {
        if (active()?.matches(selector)) {
            return active();
        }
        await press("Tab");
    }
    fail(`${max} tabs did not reach ${selector}; focus is on ${active()?.outerHTML.slice(0, 200)}`);
}

function assertTapTarget(el) {
    const rect = el.getBoundingClientRect();
    if (rect.height < 44 || rect.width < 44) {
        fail(
            `Tap target smaller than 44 px (${rect.width}x${rect.height}): ${el.outerHTML.slice(
                0,
                200
            )}`
        );
    }
}

function assertNoHorizontalScroll() {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
        const wide = [...document.querySelectorAll(".o_bookme_widget *")].find(
            (el) => el.getBoundingClientRect().right > width + 1
        );
        fail(
            `The page scrolls sideways (${
                document.documentElement.scrollWidth
            } > ${width}): ${wide?.outerHTML.slice(0, 200)}`
        );
    }
}

function rgba(color) {
    const [r, g, b, a = 1] = color.match(/[\d.]+/g).map(Number);
    return { r, g, b, a };
}

function luminance({ r, g, b }) {
    const channel = (c) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The colour behind ``el``: its own or its nearest ancestor's opaque background. */
function background(el) {
    for (let node = el; node; node = node.parentElement) {
        const color = rgba(getComputedStyle(node).backgroundColor);
        if (color.a > 0.5) {
            return color;
        }
    }
    return { r: 255, g: 255, b: 255 };
}

/** WCAG AA: text at least 4.5:1 against its background. */
function assertContrast(el) {
    const fg = luminance(rgba(getComputedStyle(el).color));
    const bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) {
        fail(`Contrast ${ratio.toFixed(2)}:1 below 4.5:1 for ${el.outerHTML.slice(0, 200)}`);
    }
}

function inViewport(el) {
    const rect = el.getBoundingClientRect();
    return rect.top >= 0 && rect.bottom <= window.innerHeight;
}

const fillDetails = (name, email) => [
    {
        content: "Name",
        trigger: ".o_bookme_form input[name=name]",
        run: `edit ${name}`,
    },
    {
        content: "Email",
        trigger: ".o_bookme_form input[name=email]",
        run: `edit ${email}`,
    },
];

registry.category("web_tour.tours").add("crm_bookme_picker_phone", {
    steps: () => [
        {
            content: "At 360 px the first bookable day is chosen on load and its times are shown",
            trigger: ".o_bookme_grid .o_bookme_day.o_bookme_chosen",
        },
        {
            content: "Nothing scrolls sideways; days, times and buttons are 44 px tap targets",
            trigger: ".o_bookme_slots .o_bookme_slot",
            run() {
                if (window.innerWidth !== 360) {
                    fail(`The window is ${window.innerWidth} px wide, not 360`);
                }
                assertNoHorizontalScroll();
                for (const el of document.querySelectorAll(
                    ".o_bookme_grid .o_bookme_cal_day, .o_bookme_slot, .o_bookme_prev_month, .o_bookme_next_month"
                )) {
                    assertTapTarget(el);
                }
                for (const el of document.querySelectorAll(
                    ".o_bookme_grid th, .o_bookme_cal_day, .o_bookme_slot, .o_bookme_month_title, .o_bookme_legend, " +
                        ".o_bookme_summary span, .o_bookme_tz_toggle, .o_bookme_times_title"
                )) {
                    assertContrast(el);
                }
                const grid = document.querySelector(".o_bookme_grid").getBoundingClientRect();
                const times = document.querySelector(".o_bookme_times").getBoundingClientRect();
                if (times.top < grid.bottom) {
                    fail("On a phone the times are directly below the calendar");
                }
                window.scrollTo(0, 0);
            },
        },
        {
            content: "Tap another bookable day",
            trigger: ".o_bookme_grid .o_bookme_day:not(.o_bookme_chosen)",
            run: "click",
        },
        {
            content: "Its times are scrolled into view and the first one has the focus",
            trigger: ".o_bookme_slots .o_bookme_slot:first:focus",
            run() {
                if (!inViewport(this.anchor)) {
                    fail(
                        `The first time is not in view (top ${
                            this.anchor.getBoundingClientRect().top
                        })`
                    );
                }
            },
        },
        {
            content: "Tap the first time",
            trigger: ".o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        ...fillDetails("Pia Phone", "pia.phone@example.com"),
        {
            content: "The form fits the phone too; its fields are 44 px high",
            trigger: ".o_bookme_form .o_bookme_submit",
            async run() {
                // Colours are compared as they end up, not halfway through one of Bootstrap's
                // button transitions (a focus or hover change can start one at any time).
                const still = document.createElement("style");
                still.textContent = "* { transition: none !important; }";
                document.head.append(still);
                await Promise.all(document.getAnimations().map((animation) => animation.finished));
                assertNoHorizontalScroll();
                for (const el of document.querySelectorAll(
                    ".o_bookme_form .form-control, .o_bookme_submit"
                )) {
                    if (el.getBoundingClientRect().height < 44) {
                        fail(`A form control is lower than 44 px: ${el.outerHTML.slice(0, 200)}`);
                    }
                }
                // Days and times share the theme colours.
                const day = getComputedStyle(
                    document.querySelector(".o_bookme_grid .o_bookme_chosen")
                );
                const time = getComputedStyle(
                    document.querySelector(".o_bookme_slot[aria-pressed=true]")
                );
                if (day.backgroundColor !== time.backgroundColor || day.color !== time.color) {
                    fail(
                        `The chosen day (${day.backgroundColor}) and time (${time.backgroundColor}) differ in colour`
                    );
                }
                const otherDay = getComputedStyle(
                    document.querySelector(".o_bookme_grid .o_bookme_day:not(.o_bookme_chosen)")
                );
                const otherTime = getComputedStyle(
                    document.querySelector(".o_bookme_slot[aria-pressed=false]")
                );
                if (
                    otherDay.borderTopColor !== otherTime.borderTopColor ||
                    otherDay.color !== otherTime.color
                ) {
                    fail(
                        `A bookable day (${otherDay.borderTopColor}) and a time (${otherTime.borderTopColor}) differ in colour`
                    );
                }
                const email = document.querySelector(".o_bookme_form input[name=email]");
                if (email.type !== "email" || email.autocomplete !== "email") {
                    fail("The email field is type=email with autocomplete");
                }
                for (const input of document.querySelectorAll(
                    ".o_bookme_form input, .o_bookme_form textarea"
                )) {
                    if (!document.querySelector(`label[for="${input.id}"]`)) {
                        fail(`Field ${input.name} has no label`);
                    }
                }
            },
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

registry.category("web_tour.tours").add("crm_bookme_picker_keyboard", {
    steps: () => [
        {
            content: "The calendar is there",
            trigger: ".o_bookme_grid .o_bookme_day.o_bookme_chosen",
        },
        {
            content: "Tab into the calendar: one tab stop, on the chosen day",
            trigger: ".o_bookme_slots .o_bookme_slot",
            async run() {
                document.activeElement?.blur();
                const cell = await tabTo(".o_bookme_grid .o_bookme_cal_day");
                if (!cell.classList.contains("o_bookme_chosen")) {
                    fail("Tabbing into the calendar lands on the chosen day");
                }
                if (document.querySelectorAll(".o_bookme_grid [tabindex='0']").length !== 1) {
                    fail("The calendar is a single tab stop (roving tabindex)");
                }
            },
        },
        {
            content: "Arrow keys move day by day to the next bookable day; Enter chooses it",
            trigger: ".o_bookme_grid .o_bookme_cal_day:focus",
            async run() {
                const start = active().dataset.date;
                await press("ArrowDown");
                await press("ArrowUp");
                if (active().dataset.date !== start) {
                    fail("Down then Up comes back to the same day");
                }
                for (let i = 0; i < 14; i++) {
                    const from = active().dataset.date;
                    await press("ArrowRight");
                    // The next day may be in the next month, which loads first.
                    for (let wait = 0; wait < 50 && active()?.dataset.date === from; wait++) {
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                    if (active().matches(".o_bookme_day:not(.o_bookme_chosen)")) {
                        break;
                    }
                }
                if (!active().matches(".o_bookme_day:not(.o_bookme_chosen)")) {
                    fail("No other bookable day reached with the arrow keys");
                }
                // Focus is visible, and not drawn like the chosen day.
                const focused = getComputedStyle(active());
                const chosen = getComputedStyle(
                    document.querySelector(".o_bookme_grid .o_bookme_chosen")
                );
                if (focused.outlineStyle === "none" || parseFloat(focused.outlineWidth) < 2) {
                    fail(
                        `The focused day has no visible outline (${focused.outlineStyle} ${focused.outlineWidth})`
                    );
                }
                if (focused.backgroundColor === chosen.backgroundColor) {
                    fail("The focused day looks like the chosen one");
                }
                window.__bookmeKeyboardDay = active().dataset.date;
                await press("Enter");
            },
        },
        {
            content: "Focus lands on the first time of the chosen day",
            trigger: ".o_bookme_grid td[aria-selected=true] .o_bookme_chosen",
            run() {
                const el = active();
                if (!el.matches(".o_bookme_slots .o_bookme_slot:first-child")) {
                    fail(
                        `After choosing a day, focus is on ${el.outerHTML.slice(
                            0,
                            200
                        )}, not the first time`
                    );
                }
                if (this.anchor.dataset.date !== window.__bookmeKeyboardDay) {
                    fail("The day chosen by keyboard is the selected one");
                }
                const live = document.querySelector(".o_bookme_live");
                if (!live || live.getAttribute("aria-live") !== "polite") {
                    fail("An aria-live region announces the choice");
                }
            },
        },
        {
            content: "The live region announces the day and its number of times",
            trigger: ".o_bookme_live:contains(free times)",
        },
        {
            content: "Enter chooses the first time; focus goes to the name",
            trigger: ".o_bookme_slots .o_bookme_slot:first:focus",
            async run() {
                await press("Enter");
                if (this.anchor.getAttribute("aria-pressed") !== "true") {
                    fail("The chosen time is aria-pressed");
                }
                if (!active().matches(".o_bookme_form input[name=name]")) {
                    fail(`After choosing a time, focus is on ${active().outerHTML.slice(0, 200)}`);
                }
            },
        },
        {
            content: "Type the details, tab to the button and press Enter",
            trigger: ".o_bookme_form input[name=name]:focus",
            async run() {
                await fill("Kai Keys");
                await tabTo(".o_bookme_form input[name=email]");
                await fill("kai.keys@example.com");
                await tabTo(".o_bookme_form .o_bookme_submit");
                await press("Enter");
            },
            expectUnloadPage: true,
        },
        {
            content: "Booked",
            trigger: ".o_bookme_success:contains(Your appointment is booked)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_bookme_picker_new_york", {
    steps: () => [
        {
            content: "The visitor's zone is detected and named",
            trigger: ".o_bookme_summary .o_bookme_tz_current:contains(America/New York)",
        },
        {
            content: "The times are New York times",
            trigger: ".o_bookme_slots .o_bookme_slot:first",
            run() {
                const start = this.anchor.dataset.start;
                if (!/-0[45]:00$/.test(start)) {
                    fail(`The first time ${start} is not in New York's offset`);
                }
                window.__bookmeShown = this.anchor.textContent.trim();
            },
        },
        {
            content: "Choose it",
            trigger: ".o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        ...fillDetails("Nora York", "nora.york@example.com"),
        {
            content: "Tell the test which time the page showed",
            trigger: ".o_bookme_form textarea[name=note]",
            async run(helpers) {
                await helpers.edit(`shown ${window.__bookmeShown}`);
            },
        },
        {
            content: "The form says the zone",
            trigger: ".o_bookme_form .o_bookme_when_line:contains(America/New York)",
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

/** Switch the zone through the searchable list: current names with offsets, no aliases. */
registry.category("web_tour.tours").add("crm_bookme_picker_zone_search", {
    steps: () => [
        {
            content: "Open the zone list",
            trigger: ".o_bookme_tz_toggle",
            run: "click",
        },
        {
            content: "Current names only, each with its UTC offset",
            trigger: ".o_bookme_tz_list .o_bookme_tz_option",
            run() {
                const names = [...document.querySelectorAll(".o_bookme_tz_option")].map(
                    (o) => o.dataset.tz
                );
                for (const old of ["Asia/Calcutta", "Europe/Kiev", "US/Eastern", "Asia/Saigon"]) {
                    if (names.includes(old)) {
                        fail(`The list offers the old name ${old}`);
                    }
                }
                if (!names.includes("Asia/Kolkata") || names.length < 300) {
                    fail(`The list has ${names.length} zones`);
                }
                const kolkata = document.querySelector(
                    ".o_bookme_tz_option[data-tz='Asia/Kolkata']"
                );
                if (!kolkata.textContent.includes("UTC+05:30")) {
                    fail(`Kolkata reads ${kolkata.textContent}`);
                }
            },
        },
        {
            content: "Search",
            trigger: ".o_bookme_tz_search",
            run: "edit kolk",
        },
        {
            content: "One match; Enter chooses it",
            trigger:
                ".o_bookme_tz_list:not(:has(.o_bookme_tz_option:eq(1))) .o_bookme_tz_option[data-tz='Asia/Kolkata']",
            run: "press Enter",
        },
        {
            content: "Times are now in Kolkata",
            trigger: ".o_bookme_tz_current:contains(Asia/Kolkata)",
        },
        {
            content: "and the times carry its offset",
            trigger: ".o_bookme_slots .o_bookme_slot[data-start$='+05:30']",
        },
    ],
});

registry.category("web_tour.tours").add("crm_bookme_picker_months", {
    steps: () => [
        {
            content: "On load, the first bookable day (two months ahead) is chosen",
            trigger: ".o_bookme_grid .o_bookme_day.o_bookme_chosen",
            run() {
                if (this.anchor.dataset.date !== hashParam("first")) {
                    fail(
                        `The chosen day is ${this.anchor.dataset.date}, not ${hashParam("first")}`
                    );
                }
            },
        },
        {
            content: "Page back a month",
            trigger: ".o_bookme_prev_month:enabled",
            run: "click",
        },
        {
            content: "An empty month says so and offers the next available day",
            trigger: `.o_bookme_times .o_bookme_no_slots`,
            run() {
                if (document.querySelector(".o_bookme_grid .o_bookme_day")) {
                    fail("No day of this month is bookable");
                }
            },
        },
        {
            content: "Go to the next available day",
            trigger: ".o_bookme_times .o_bookme_next_available",
            run() {
                if (this.anchor.dataset.date !== hashParam("first")) {
                    fail(`The next available day is ${this.anchor.dataset.date}`);
                }
                this.anchor.click();
            },
        },
        {
            content: "It is chosen and its times have the focus",
            trigger: ".o_bookme_grid .o_bookme_day.o_bookme_chosen",
            run() {
                if (this.anchor.dataset.date !== hashParam("first")) {
                    fail("Back on the first bookable day");
                }
            },
        },
        {
            content: "Watch the API calls from now on",
            trigger: ".o_bookme_slots .o_bookme_slot:focus",
            run() {
                window.__bookmeFetched = [];
                const original = window.fetch;
                window.fetch = (url, ...args) => {
                    window.__bookmeFetched.push(String(url));
                    return original(url, ...args);
                };
            },
        },
        {
            content: "Next month",
            trigger: ".o_bookme_next_month",
            run: "click",
        },
        {
            content: "It is shown with its bookable days",
            trigger: `.o_bookme_grid .o_bookme_day[data-date^="${hashParam("m3")}"]`,
        },
        {
            content: "Next month again",
            trigger: ".o_bookme_next_month",
            run: "click",
        },
        {
            content: "Choose the last bookable day of that month (the last of the range)",
            trigger: `.o_bookme_grid .o_bookme_day[data-date^="${hashParam("m4")}"]:last`,
            run: "click",
        },
        {
            content: "Its times have the focus",
            trigger: ".o_bookme_slots .o_bookme_slot:first:focus",
        },
        {
            content: "Next month: past the range",
            trigger: ".o_bookme_next_month",
            run: "click",
        },
        {
            content: "That month was fetched as one range, and nothing is found after it",
            trigger: ".o_bookme_times:has(.o_bookme_no_slots):contains(coming months)",
            run() {
                if (
                    !document.querySelector(
                        `.o_bookme_cal_day[data-date="${hashParam("m5_from")}"]`
                    )
                ) {
                    fail("The grid shows the month after the range");
                }
                const expected = `from=${hashParam("m5_from")}&to=${hashParam("m5_to")}&`;
                if (!window.__bookmeFetched.some((url) => url.includes(expected))) {
                    fail(`No request for ${expected}: ${window.__bookmeFetched.join(", ")}`);
                }
                if (
                    document.querySelector(".o_bookme_grid .o_bookme_day, .o_bookme_next_available")
                ) {
                    fail("Nothing is bookable from this month on");
                }
            },
        },
        {
            content: "Back a month",
            trigger: ".o_bookme_prev_month",
            run: "click",
        },
        {
            content: "PageUp on the chosen day goes back a month",
            trigger: ".o_bookme_grid .o_bookme_day.o_bookme_chosen",
            async run() {
                this.anchor.focus();
                await press("PageUp");
            },
        },
        {
            content: "The month before is shown, the focus on a day of it",
            trigger: `.o_bookme_grid .o_bookme_cal_day[data-date^="${hashParam("m3")}"]:focus`,
        },
        {
            content: "Home goes to the start of the week, staying in the grid",
            trigger: ".o_bookme_grid .o_bookme_cal_day:focus",
            async run() {
                const before = active().dataset.date;
                await press("End");
                const end = active().dataset.date;
                await press("Home");
                const home = active().dataset.date;
                if (!(home <= before && before <= end) || home === end) {
                    fail(`Home/End moved from ${before} to ${home} / ${end}`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("crm_bookme_picker_taken", {
    steps: () => [
        {
            content: "Choose the first time",
            trigger: ".o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        ...fillDetails("Tess Taken", "tess.taken@example.com"),
        {
            content: "Phone",
            trigger: ".o_bookme_form input[name=phone]",
            run: "edit +47 555 01",
        },
        {
            content: "Note",
            trigger: ".o_bookme_form textarea[name=note]",
            run: "edit Please call first",
        },
        {
            content: "Someone else books that time meanwhile",
            trigger: ".o_bookme_slots .o_bookme_slot[aria-pressed=true]",
            async run() {
                window.__bookmeTaken = this.anchor.dataset.start;
                window.__bookmeDay = document.querySelector(
                    ".o_bookme_grid .o_bookme_chosen"
                ).dataset.date;
                const api = document.querySelector(".o_bookme_widget").dataset.api;
                const response = await fetch(`${api}/bookings`, {
                    method: "POST",
                    headers: { "Content-Type": "application/json" },
                    body: JSON.stringify({
                        start: window.__bookmeTaken,
                        name: "Other Guest",
                        email: "other.guest@example.com",
                    }),
                });
                if (response.status !== 201) {
                    fail(`The other booking answered ${response.status}`);
                }
            },
        },
        {
            content: "Book: the time is taken",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
        },
        {
            content: "The message is shown beside the refreshed times",
            trigger: ".o_bookme_times .o_bookme_times_error:contains(no longer available)",
            run() {
                const values = Object.fromEntries(
                    new FormData(document.querySelector(".o_bookme_form")).entries()
                );
                const expected = {
                    name: "Tess Taken",
                    email: "tess.taken@example.com",
                    phone: "+47 555 01",
                    note: "Please call first",
                };
                for (const [key, value] of Object.entries(expected)) {
                    if (values[key] !== value) {
                        fail(`The form lost ${key}: ${JSON.stringify(values[key])}`);
                    }
                }
                if (
                    document.querySelector(".o_bookme_grid .o_bookme_chosen")?.dataset.date !==
                    window.__bookmeDay
                ) {
                    fail("The chosen day was lost");
                }
                if (
                    document.querySelector(`.o_bookme_slot[data-start="${window.__bookmeTaken}"]`)
                ) {
                    fail("The taken time is still offered");
                }
                if (!active().matches(".o_bookme_slots .o_bookme_slot")) {
                    fail("Focus is back on the refreshed times");
                }
            },
        },
        {
            content: "and announced",
            trigger: ".o_bookme_live:contains(no longer available)",
        },
        {
            content: "Choose the next time",
            trigger: ".o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        {
            content: "Book again, nothing retyped",
            trigger: ".o_bookme_form .o_bookme_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Booked",
            trigger: ".o_bookme_success:contains(Your appointment is booked)",
        },
    ],
});

/** A refused email is shown next to its field and announced. */
registry.category("web_tour.tours").add("crm_bookme_picker_field_error", {
    steps: () => [
        {
            content: "Choose the first time",
            trigger: ".o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        ...fillDetails("Fay Field", "not-an-email"),
        {
            content: "Book",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
        },
        {
            content: "The error is next to the email field, which is marked and described by it",
            trigger: ".o_bookme_form input[name=email].is-invalid[aria-invalid=true]:focus",
            run() {
                const feedback = document.getElementById(
                    this.anchor.getAttribute("aria-describedby")
                );
                if (!feedback || feedback.hidden || !feedback.textContent.trim()) {
                    fail("The email's error text is shown next to it");
                }
                if (this.anchor.parentElement !== feedback.parentElement) {
                    fail("The error sits with its field");
                }
            },
        },
        {
            content: "and announced",
            trigger: ".o_bookme_live:not(:empty)",
        },
    ],
});

/**
 * One clock convention per language, the same for every time of the widget: the test
 * says in the hash whether the page's language uses a 24-hour clock (clock=24) or not.
 */
registry.category("web_tour.tours").add("crm_bookme_picker_clock", {
    steps: () => [
        {
            content: "The times follow the language's clock",
            trigger: ".o_bookme_slots .o_bookme_slot",
            run() {
                const texts = [...document.querySelectorAll(".o_bookme_slot")].map((b) =>
                    b.textContent.trim()
                );
                const twentyFour = hashParam("clock") === "24";
                for (const text of texts) {
                    const ok = twentyFour
                        ? /^\d{1,2}[:.]\d\d$/.test(text)
                        : /^\d{1,2}:\d\d\s?[AP]M$/.test(text);
                    if (!ok) {
                        fail(
                            `Time "${text}" does not use the ${
                                twentyFour ? "24" : "12"
                            }-hour clock (all: ${texts.join(", ")})`
                        );
                    }
                }
                if (twentyFour && !texts.some((text) => parseInt(text, 10) > 12)) {
                    fail(`No afternoon time reads past 12 (all: ${texts.join(", ")})`);
                }
                const lang = document.documentElement.lang;
                if (lang.slice(0, 2) !== hashParam("lang")) {
                    fail(`The page is in ${lang}`);
                }
                const month = document.querySelector(".o_bookme_month_title").textContent;
                if (
                    hashParam("lang") !== "en" &&
                    /January|February|March|April|May|June|July|August|September|October|November|December/.test(
                        month
                    )
                ) {
                    fail(`The month "${month}" is in English`);
                }
            },
        },
        {
            content: "The form's line uses the same clock",
            trigger: ".o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        {
            content: "Same text as the button",
            trigger: ".o_bookme_form .o_bookme_when_line",
            run() {
                const time = document
                    .querySelector(".o_bookme_slot[aria-pressed=true]")
                    .textContent.trim();
                if (!this.anchor.textContent.includes(time)) {
                    fail(`"${this.anchor.textContent}" does not contain "${time}"`);
                }
            },
        },
    ],
});

/** A group type shows the seats left of each time. */
registry.category("web_tour.tours").add("crm_bookme_picker_seats", {
    steps: () => [
        {
            content: "The first time has one seat taken",
            trigger: `.o_bookme_slots .o_bookme_slot:first .o_bookme_seats:contains(${hashParam(
                "first"
            )})`,
        },
        {
            content: "The others are free",
            trigger: `.o_bookme_slots .o_bookme_slot:last .o_bookme_seats:contains(${hashParam(
                "others"
            )})`,
        },
    ],
});
