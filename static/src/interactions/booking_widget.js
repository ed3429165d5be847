import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";

import {
    browserZone,
    day,
    Formats,
    h,
    pageLocale,
    todayIn,
} from "@crm_bookme/interactions/booking_dom";
import { canonicalZone, ZonePicker } from "@crm_bookme/interactions/booking_zone_picker";

// How far ahead the widget looks for the next bookable day (in API windows of 92 days).
const SEARCH_WINDOW_DAYS = 92;
const SEARCH_WINDOWS = 4;
// Months the visitor can page ahead of the current one.
const MAX_MONTHS_AHEAD = 24;

const NAV_KEYS = [
    "ArrowLeft",
    "ArrowRight",
    "ArrowUp",
    "ArrowDown",
    "Home",
    "End",
    "PageUp",
    "PageDown",
];

/**
 * Book Me's booking widget: a month calendar (an ARIA grid: arrows move by day and week,
 * Home/End to the week's ends, PageUp/PageDown change month, Enter/Space choose) with the
 * bookable days marked, the chosen day's times beside it (below it on phones), a summary
 * (host, duration, place, time zone) and the details form. Everything goes through the
 * public JSON API; the success page is the guest's own booking page.
 */
export class BookmeBookingWidget extends Interaction {
    static selector = ".o_bookme_widget";
    dynamicContent = {
        _root: {
            "t-on-click": this.onClick,
            "t-on-keydown": this.onKeydown,
            "t-on-input": this.onInput,
            "t-on-submit": this.onSubmit,
        },
    };

    setup() {
        const data = this.el.dataset;
        this.api = data.api;
        this.hostTz = data.hostTz || "UTC";
        this.tz =
            data.tzDisplay === "guest" ? canonicalZone(browserZone(this.hostTz)) : this.hostTz;
        this.apiLang = (data.lang || "").replace("-", "_");
        this.formats = new Formats(pageLocale(data.lang));
        this.hostName = data.hostName || "";
        this.duration = Number(data.duration) || 0;
        this.isGroup = data.kind === "group";
        this.locations = JSON.parse(data.locations || "[]");
        this.requiresApproval = Boolean(data.requiresApproval);
        this.prefill = { name: data.prefillName || "", email: data.prefillEmail || "" };
        // Reschedule mode (the guest's own booking page): choosing a time posts a plain
        // form, with its CSRF token, instead of the booking form.
        this.rescheduleUrl = data.rescheduleUrl || "";
        this.csrfToken = data.csrfToken || "";
        this.embed = Boolean(data.embed);
        this.invite = data.invite || "";
        // On a host's private (secret code) pages, the slots API also accepts the guest's
        // composer invitation, or (rescheduling) their own booking's token.
        this.booking = data.booking || "";
        // Element ids (one booking widget per page): #bookme_name, #bookme_email, …
        this.uid = "bookme";
        this.resetSlots();
        this.today = todayIn(this.tz);
        this.month = this.today.slice(0, 7);
        this.focusDate = this.today;
        this.day = null; // the chosen day, YYYY-MM-DD
        this.slot = null; // the chosen slot {start, end, seats_left}
        this.timesError = "";
        this.busy = false;
        this.idempotencyKey = this.newKey();
    }

    async willStart() {
        await this.loadInitial();
    }

    start() {
        this.build();
        this.renderAll();
    }

    newKey() {
        return (
            (crypto.randomUUID && crypto.randomUUID()) ||
            `${Date.now()}-${Math.random()}`.replace(/[^\w.-]/g, "")
        );
    }

    // ------------------------------------------------------------------ data

    resetSlots() {
        this.slotsByDate = new Map(); // date -> slots, for the months loaded
        this.loadedMonths = new Set(); // "YYYY-MM" fully loaded (from today on)
        this.nextAvailable = new Map(); // "YYYY-MM" -> first bookable date after it, or null
        this.loadError = "";
    }

    slotsUrl(from, to) {
        let url = `${this.api}/slots?from=${from}&to=${to}&tz=${encodeURIComponent(this.tz)}`;
        if (this.invite) {
            url += `&invite=${encodeURIComponent(this.invite)}`;
        }
        if (this.booking) {
            url += `&booking=${encodeURIComponent(this.booking)}`;
        }
        return url;
    }

    /** The API's days between ``from`` and ``to`` (YYYY-MM-DD, in the widget's zone). */
    async fetchDays(from, to) {
        let response, payload;
        try {
            response = await this.waitFor(
                fetch(this.slotsUrl(from, to), { headers: { Accept: "application/json" } })
            );
            payload = await this.waitFor(response.json());
        } catch {
            throw new Error(
                _t("The available times could not be loaded. Check your connection and try again.")
            );
        }
        if (!response.ok) {
            throw new Error(
                payload.error?.message || _t("The available times could not be loaded.")
            );
        }
        return payload.days;
    }

    /** Remember the days of a fetched window; months it covers entirely are loaded. */
    store(from, to, days) {
        for (const d of days) {
            this.slotsByDate.set(d.date, d.slots);
        }
        let month = day(from).startOf("month");
        while (month.toISODate() <= to) {
            const key = month.toISODate().slice(0, 7);
            const first = key === this.today.slice(0, 7) ? this.today : month.toISODate();
            if (from <= first && month.endOf("month").toISODate() <= to) {
                this.loadedMonths.add(key);
            }
            month = month.plus({ months: 1 });
        }
    }

    monthRange(key) {
        const first = day(`${key}-01`);
        const from = key === this.today.slice(0, 7) ? this.today : first.toISODate();
        return [from, first.endOf("month").toISODate()];
    }

    async loadMonth(key) {
        if (this.loadedMonths.has(key)) {
            return;
        }
        const [from, to] = this.monthRange(key);
        const days = await this.fetchDays(from, to);
        this.store(from, to, days);
    }

    /** The first bookable day after the month ``key`` (searching a year ahead), or null. */
    async findNextAfter(key) {
        if (this.nextAvailable.has(key)) {
            return this.nextAvailable.get(key);
        }
        let from = day(`${key}-01`).endOf("month").plus({ days: 1 }).toISODate();
        let found = null;
        for (let i = 0; i < SEARCH_WINDOWS && !found; i++) {
            const to = day(from)
                .plus({ days: SEARCH_WINDOW_DAYS - 1 })
                .toISODate();
            const days = await this.fetchDays(from, to);
            this.store(from, to, days);
            found = days[0]?.date || null;
            from = day(to).plus({ days: 1 }).toISODate();
        }
        this.nextAvailable.set(key, found);
        return found;
    }

    bookableDays(key) {
        return [...this.slotsByDate.keys()]
            .filter((d) => d.startsWith(key) && this.slotsByDate.get(d).length)
            .sort();
    }

    /** Load the visible month; on first load (or a new zone) select the first bookable day. */
    async loadInitial(keepDay = null) {
        this.loadError = "";
        try {
            await this.loadMonth(this.month);
            let first = this.bookableDays(this.month)[0];
            if (!first) {
                first = await this.findNextAfter(this.month);
                if (first) {
                    this.month = first.slice(0, 7);
                    await this.loadMonth(this.month);
                }
            }
            if (keepDay && this.slotsByDate.get(keepDay)?.length) {
                first = keepDay;
                this.month = keepDay.slice(0, 7);
                await this.loadMonth(this.month);
            }
            this.day = first || null;
            this.focusDate = first || this.focusDate;
        } catch (error) {
            this.loadError = error.message;
        }
    }

    // ---------------------------------------------------------------- render

    build() {
        const id = this.uid;
        this.live = h("div", {
            class: "visually-hidden o_bookme_live",
            role: "status",
            "aria-live": "polite",
            "aria-atomic": "true",
        });
        this.zonePicker = new ZonePicker({
            formats: this.formats,
            tz: this.tz,
            idPrefix: `${id}_tz`,
            onChoose: (tz) => this.changeZone(tz),
        });
        this.summary = h("div", { class: "col-12 col-lg-4 o_bookme_summary" });
        this.calendar = h("div", { class: "col-12 col-md-7 col-lg-5 o_bookme_calendar" });
        this.times = h("div", {
            class: "col-12 col-md-5 col-lg-3 o_bookme_times",
            id: `${id}_times`,
        });
        this.formHost = h("div", { class: "o_bookme_form_host" });
        this.el
            .querySelector(".card-body")
            .replaceChildren(
                this.live,
                h(
                    "div",
                    { class: "row g-4 o_bookme_picker" },
                    this.summary,
                    this.calendar,
                    this.times
                ),
                this.formHost
            );
        this.renderSummary();
    }

    renderAll() {
        this.renderCalendar();
        this.renderTimes();
        this.renderForm();
    }

    announce(text) {
        // Cleared first, so the same sentence twice is read twice.
        this.live.textContent = "";
        setTimeout(() => {
            this.live.textContent = text;
        }, 50);
    }

    renderSummary() {
        const rows = [];
        const row = (icon, label, value, cls = "") =>
            h(
                "div",
                { class: `d-flex gap-2 mb-2 ${cls}` },
                h("i", { class: `fa ${icon} fa-fw mt-1 text-muted`, "aria-hidden": "true" }),
                h("div", {}, h("span", { class: "visually-hidden" }, label), value)
            );
        if (this.hostName) {
            rows.push(
                row(
                    "fa-user",
                    _t("Host:"),
                    h("span", { class: "o_bookme_summary_host" }, this.hostName)
                )
            );
        }
        if (this.duration) {
            rows.push(
                row(
                    "fa-clock-o",
                    _t("Duration:"),
                    h(
                        "span",
                        { class: "o_bookme_summary_duration" },
                        this.formats.duration(this.duration)
                    )
                )
            );
        }
        if (this.locations.length) {
            rows.push(
                row(
                    "fa-map-marker",
                    _t("Where:"),
                    h(
                        "span",
                        { class: "o_bookme_summary_place" },
                        this.formats.either(this.locations.map((l) => l.name))
                    )
                )
            );
        }
        rows.push(row("fa-globe", _t("Time zone:"), this.zonePicker.el));
        this.summary.replaceChildren(h("div", { class: "o_bookme_summary_box" }, rows));
    }

    renderCalendar() {
        const id = this.uid;
        const key = this.month;
        const first = day(`${key}-01`);
        const todayMonth = this.today.slice(0, 7);
        const lastMonth = day(`${todayMonth}-01`)
            .plus({ months: MAX_MONTHS_AHEAD })
            .toISODate()
            .slice(0, 7);
        // The chevrons are the left-to-right ones: on right-to-left pages Odoo turns them
        // round itself (web's fontawesome_overridden.scss, ``.o_rtl .fa-chevron-*``).
        const header = h(
            "div",
            { class: "d-flex align-items-center justify-content-between mb-2" },
            h(
                "button",
                {
                    type: "button",
                    class: "btn btn-outline-primary o_bookme_prev_month",
                    "aria-label": _t("Previous month"),
                    disabled: key <= todayMonth,
                },
                h("i", {
                    class: "fa fa-chevron-left",
                    "aria-hidden": "true",
                })
            ),
            h(
                "h3",
                { class: "h6 mb-0 o_bookme_month_title", id: `${id}_month`, "aria-live": "polite" },
                this.formats.month(first.toISODate())
            ),
            h(
                "button",
                {
                    type: "button",
                    class: "btn btn-outline-primary o_bookme_next_month",
                    "aria-label": _t("Next month"),
                    disabled: key >= lastMonth,
                },
                h("i", {
                    class: "fa fa-chevron-right",
                    "aria-hidden": "true",
                })
            )
        );
        const weekdays = this.formats.weekdays();
        const head = h(
            "thead",
            {},
            h(
                "tr",
                {},
                weekdays.map((w) =>
                    h(
                        "th",
                        { scope: "col", abbr: w.long },
                        h("span", { "aria-hidden": "true" }, w.short),
                        h("span", { class: "visually-hidden" }, w.long)
                    )
                )
            )
        );
        // The grid starts on the locale's first weekday.
        const lead = (first.weekday - this.formats.firstDay + 7) % 7;
        const count = first.daysInMonth;
        const loaded = this.loadedMonths.has(key);
        if (!this.focusDate.startsWith(key)) {
            this.focusDate = this.day?.startsWith(key)
                ? this.day
                : this.bookableDays(key)[0] || first.toISODate();
        }
        const rows = [];
        let cells = Array.from({ length: lead }, () => h("td", { role: "gridcell" }));
        for (let n = 1; n <= count; n++) {
            const date = first.set({ day: n }).toISODate();
            const slots = this.slotsByDate.get(date) || [];
            const bookable = slots.length > 0 && date >= this.today;
            const chosen = date === this.day;
            let label = this.formats.fullDay(date);
            if (bookable) {
                label = _t("%(day)s, %(count)s times available", {
                    day: label,
                    count: slots.length,
                });
            } else if (loaded || date < this.today) {
                label = _t("%s, no times", label);
            }
            const button = h(
                "button",
                {
                    type: "button",
                    // The same theme colours as the times: outlined when bookable, filled when chosen.
                    class: `btn o_bookme_cal_day${
                        bookable ? " o_bookme_day o_bookme_bookable" : ""
                    }${
                        chosen
                            ? " o_bookme_chosen btn-primary"
                            : bookable
                            ? " btn-outline-primary"
                            : ""
                    }`,
                    tabindex: date === this.focusDate ? "0" : "-1",
                    "aria-disabled": bookable ? false : "true",
                    "aria-label": label,
                    "aria-current": date === this.today ? "date" : false,
                    dataset: { date },
                },
                this.formats.number(n)
            );
            cells.push(
                h("td", { role: "gridcell", "aria-selected": chosen ? "true" : "false" }, button)
            );
            if (cells.length === 7) {
                rows.push(h("tr", {}, cells));
                cells = [];
            }
        }
        if (cells.length) {
            while (cells.length < 7) {
                cells.push(h("td", { role: "gridcell" }));
            }
            rows.push(h("tr", {}, cells));
        }
        this.grid = h(
            "table",
            {
                class: "o_bookme_grid",
                role: "grid",
                "aria-labelledby": `${id}_month`,
            },
            head,
            h("tbody", {}, rows)
        );
        const legend = h(
            "p",
            { class: "small text-muted mt-2 mb-0 o_bookme_legend" },
            h("span", { class: "o_bookme_legend_mark", "aria-hidden": "true" }),
            " ",
            _t("Days with free times are marked.")
        );
        this.calendar.replaceChildren(header, this.grid, legend);
    }

    renderTimes() {
        const id = this.uid;
        const children = [];
        if (this.loadError) {
            children.push(
                h(
                    "div",
                    { class: "alert alert-danger o_bookme_error", role: "alert" },
                    this.loadError
                )
            );
        }
        if (this.timesError) {
            children.push(
                h(
                    "div",
                    { class: "alert alert-warning o_bookme_times_error", role: "alert" },
                    this.timesError
                )
            );
        }
        const key = this.month;
        const bookable = this.bookableDays(key);
        if (this.day && this.day.startsWith(key)) {
            const slots = this.slotsByDate.get(this.day) || [];
            children.push(
                h(
                    "h3",
                    { class: "h6 o_bookme_times_title", id: `${id}_times_title`, tabindex: "-1" },
                    this.formats.longDay(this.day)
                )
            );
            if (slots.length) {
                children.push(
                    h(
                        "div",
                        {
                            class: "d-grid gap-2 o_bookme_slots",
                            role: "group",
                            "aria-labelledby": `${id}_times_title`,
                        },
                        slots.map((slot) => this.renderSlot(slot))
                    )
                );
            } else {
                children.push(
                    h(
                        "p",
                        { class: "text-muted o_bookme_no_slots" },
                        _t("No more free times on this day.")
                    )
                );
            }
        } else if (!this.loadError && this.loadedMonths.has(key) && !bookable.length) {
            children.push(...this.renderEmptyMonth(key));
        } else if (!this.loadError) {
            children.push(
                h(
                    "p",
                    { class: "text-muted o_bookme_choose_day" },
                    _t("Choose a day to see its free times.")
                )
            );
        }
        this.times.replaceChildren(...children);
    }

    renderEmptyMonth(key) {
        const next = this.nextAvailable.get(key);
        const month = this.formats.month(`${key}-01`);
        const children = [
            h("p", { class: "o_bookme_no_slots mb-2" }, _t("No free times in %s.", month)),
        ];
        if (next) {
            children.push(
                h(
                    "p",
                    { class: "text-muted small mb-2" },
                    _t("The next available day is %s.", this.formats.fullDay(next))
                ),
                h(
                    "button",
                    {
                        type: "button",
                        class: "btn btn-primary o_bookme_next_available",
                        dataset: { date: next },
                    },
                    _t("Go to %s", this.formats.longDay(next))
                )
            );
        } else if (this.nextAvailable.has(key)) {
            children.push(
                h(
                    "p",
                    { class: "text-muted small" },
                    _t("No times are available in the coming months.")
                )
            );
        }
        return children;
    }

    renderSlot(slot) {
        const chosen = this.slot?.start === slot.start;
        const seats = this.isGroup
            ? h(
                  "small",
                  { class: "d-block o_bookme_seats" },
                  _t("Seats left: %s", this.formats.number(slot.seats_left))
              )
            : null;
        return h(
            "button",
            {
                type: "button",
                class: `btn ${chosen ? "btn-primary" : "btn-outline-primary"} o_bookme_slot`,
                "aria-pressed": chosen ? "true" : "false",
                dataset: { start: slot.start },
            },
            this.formats.time(slot.start, this.tz),
            seats
        );
    }

    whenText() {
        return `${this.formats.longDay(this.day)}, ${this.formats.time(
            this.slot.start,
            this.tz
        )} (${this.tz.replaceAll("_", " ")})`;
    }

    renderForm() {
        if (this.rescheduleUrl) {
            this.formHost.replaceChildren(...(this.slot ? [this.renderRescheduleForm()] : []));
            return;
        }
        if (!this.slot && !this.form) {
            return;
        }
        if (!this.form) {
            // Built once: what the visitor types stays when times are refreshed.
            this.form = this.buildForm();
            this.formHost.replaceChildren(this.form);
        }
        const when = this.form.querySelector(".o_bookme_when_line");
        when.textContent = this.slot ? this.whenText() : _t("Choose a time above.");
        this.form.querySelector(".o_bookme_submit").disabled = this.busy || !this.slot;
    }

    renderRescheduleForm() {
        return h(
            "form",
            {
                class: "o_bookme_reschedule_form border-top pt-3 mt-3",
                method: "post",
                action: this.rescheduleUrl,
            },
            h("input", { type: "hidden", name: "csrf_token", value: this.csrfToken }),
            h("input", { type: "hidden", name: "start", value: this.slot.start }),
            this.embed ? h("input", { type: "hidden", name: "embed", value: "1" }) : null,
            h(
                "button",
                { type: "submit", class: "btn btn-primary o_bookme_reschedule_confirm" },
                _t("Move my appointment to %s", this.whenText())
            )
        );
    }

    buildForm() {
        const id = this.uid;
        const field = (label, input, cls = "col-md-6") =>
            h(
                "div",
                { class: `${cls} mb-3` },
                h("label", { class: "form-label", for: input.id }, label),
                input,
                h("div", {
                    class: "invalid-feedback o_bookme_error",
                    id: `${input.id}_error`,
                    hidden: true,
                })
            );
        let locationField = null;
        if (this.locations.length > 1) {
            locationField = field(
                _t("Where"),
                h(
                    "select",
                    {
                        id: `${id}_location`,
                        name: "location_id",
                        class: "form-select",
                        required: true,
                    },
                    h("option", { value: "" }, _t("Choose…")),
                    this.locations.map((loc) => h("option", { value: loc.id }, loc.name))
                ),
                "col-12"
            );
        }
        const submit = this.requiresApproval ? _t("Request to book") : _t("Book now");
        return h(
            "form",
            { class: "o_bookme_form border-top pt-3 mt-3", novalidate: "novalidate" },
            h("h3", { class: "h6" }, _t("Your details")),
            h("p", { class: "text-muted small o_bookme_when_line" }),
            h(
                "div",
                { class: "row" },
                field(
                    _t("Name"),
                    h("input", {
                        id: `${id}_name`,
                        name: "name",
                        class: "form-control",
                        required: true,
                        maxlength: "128",
                        autocomplete: "name",
                        value: this.prefill.name,
                    })
                ),
                field(
                    _t("Email"),
                    h("input", {
                        id: `${id}_email`,
                        name: "email",
                        type: "email",
                        class: "form-control",
                        required: true,
                        maxlength: "254",
                        autocomplete: "email",
                        inputmode: "email",
                        value: this.prefill.email,
                    })
                ),
                field(
                    _t("Phone (optional)"),
                    h("input", {
                        id: `${id}_phone`,
                        name: "phone",
                        type: "tel",
                        class: "form-control",
                        maxlength: "64",
                        autocomplete: "tel",
                    })
                ),
                locationField,
                field(
                    _t("Anything to tell us? (optional)"),
                    h("textarea", {
                        id: `${id}_note`,
                        name: "note",
                        class: "form-control",
                        rows: "3",
                        maxlength: "4000",
                    }),
                    "col-12"
                )
            ),
            h("div", { class: "o_bookme_form_alert" }),
            h("button", { type: "submit", class: "btn btn-primary o_bookme_submit" }, submit)
        );
    }

    // --------------------------------------------------------------- actions

    cell(date) {
        return this.grid?.querySelector(`[data-date="${date}"]`);
    }

    async showMonth(key, focusDate = null) {
        this.month = key;
        if (focusDate) {
            this.focusDate = focusDate;
        }
        this.timesError = "";
        this.loadError = "";
        try {
            await this.loadMonth(key);
            if (!this.bookableDays(key).length) {
                await this.findNextAfter(key);
            }
        } catch (error) {
            this.loadError = error.message;
        }
        this.renderCalendar();
        this.renderTimes();
        const bookable = this.bookableDays(key);
        this.announce(
            bookable.length
                ? _t("%(month)s: %(count)s days with free times", {
                      month: this.formats.month(`${key}-01`),
                      count: bookable.length,
                  })
                : this.times.textContent
        );
    }

    /** Choose a day: its times are shown, and (unless on load) focus moves to the first. */
    chooseDay(date, { focusTimes = true } = {}) {
        const slots = this.slotsByDate.get(date) || [];
        if (!slots.length) {
            this.announce(_t("%s: no free times.", this.formats.fullDay(date)));
            return;
        }
        this.day = date;
        this.focusDate = date;
        this.timesError = "";
        if (this.slot && !slots.some((s) => s.start === this.slot.start)) {
            this.slot = null;
        }
        this.renderCalendar();
        this.renderTimes();
        this.renderForm();
        this.announce(
            _t("%(day)s: %(count)s free times", {
                day: this.formats.fullDay(date),
                count: slots.length,
            })
        );
        if (focusTimes) {
            this.focusTimes();
        }
    }

    focusTimes() {
        const target =
            this.times.querySelector(".o_bookme_slot") ||
            this.times.querySelector(".o_bookme_times_title");
        // Below the calendar (phones): bring the times into view.
        this.times.scrollIntoView({ block: "nearest" });
        target?.focus({ preventScroll: true });
    }

    chooseSlot(start) {
        const slots = this.slotsByDate.get(this.day) || [];
        this.slot = slots.find((s) => s.start === start) || null;
        if (!this.slot) {
            return;
        }
        for (const button of this.times.querySelectorAll(".o_bookme_slot")) {
            const chosen = button.dataset.start === start;
            button.setAttribute("aria-pressed", chosen ? "true" : "false");
            button.classList.toggle("btn-primary", chosen);
            button.classList.toggle("btn-outline-primary", !chosen);
        }
        this.renderForm();
        this.announce(_t("Chosen: %s", this.whenText()));
        const next =
            this.formHost.querySelector(".o_bookme_reschedule_confirm") ||
            this.formHost.querySelector("input[name=name]");
        next?.focus();
        next?.scrollIntoView({ block: "nearest" });
    }

    async changeZone(tz) {
        this.tz = tz;
        this.today = todayIn(tz);
        const keepDay = this.day;
        this.slot = null;
        this.resetSlots();
        this.month = (keepDay || this.today).slice(0, 7);
        if (this.month < this.today.slice(0, 7)) {
            this.month = this.today.slice(0, 7);
        }
        await this.loadInitial(keepDay);
        this.renderAll();
        this.announce(_t("Times are now shown in %s.", tz.replaceAll("_", " ")));
    }

    moveFocus(date) {
        const key = date.slice(0, 7);
        const todayMonth = this.today.slice(0, 7);
        if (date < this.today) {
            date = this.today;
        }
        const lastMonth = day(`${todayMonth}-01`)
            .plus({ months: MAX_MONTHS_AHEAD })
            .toISODate()
            .slice(0, 7);
        if (key > lastMonth) {
            return;
        }
        this.focusDate = date;
        if (date.slice(0, 7) !== this.month) {
            this.showMonth(date.slice(0, 7), date).then(() => this.cell(this.focusDate)?.focus());
            return;
        }
        for (const button of this.grid.querySelectorAll("[data-date]")) {
            button.tabIndex = button.dataset.date === date ? 0 : -1;
        }
        this.cell(date)?.focus();
    }

    onGridKeydown(ev, button) {
        const current = day(button.dataset.date);
        const rtl = getComputedStyle(this.el).direction === "rtl";
        let target = null;
        switch (ev.key) {
            case "ArrowRight":
                target = current.plus({ days: rtl ? -1 : 1 });
                break;
            case "ArrowLeft":
                target = current.plus({ days: rtl ? 1 : -1 });
                break;
            case "ArrowDown":
                target = current.plus({ days: 7 });
                break;
            case "ArrowUp":
                target = current.plus({ days: -7 });
                break;
            case "Home":
                target = current.minus({ days: (current.weekday - this.formats.firstDay + 7) % 7 });
                break;
            case "End":
                target = current.plus({
                    days: 6 - ((current.weekday - this.formats.firstDay + 7) % 7),
                });
                break;
            case "PageUp":
                target = current.minus({ months: ev.shiftKey ? 12 : 1 });
                break;
            case "PageDown":
                target = current.plus({ months: ev.shiftKey ? 12 : 1 });
                break;
        }
        if (target) {
            ev.preventDefault();
            this.moveFocus(target.toISODate());
        }
    }

    async onClick(ev) {
        if (this.zonePicker.onClick(ev)) {
            return;
        }
        if (this.zonePicker.open && !this.zonePicker.el.contains(ev.target)) {
            this.zonePicker.open = false;
            this.zonePicker.render();
        }
        const target = ev.target.closest("button");
        if (!target || !this.el.contains(target)) {
            return;
        }
        if (target.classList.contains("o_bookme_cal_day")) {
            this.chooseDay(target.dataset.date);
        } else if (target.classList.contains("o_bookme_slot")) {
            this.chooseSlot(target.dataset.start);
        } else if (
            target.classList.contains("o_bookme_prev_month") ||
            target.classList.contains("o_bookme_next_month")
        ) {
            const step = target.classList.contains("o_bookme_next_month") ? 1 : -1;
            const key = day(`${this.month}-01`).plus({ months: step }).toISODate().slice(0, 7);
            await this.showMonth(key);
        } else if (target.classList.contains("o_bookme_next_available")) {
            const date = target.dataset.date;
            await this.showMonth(date.slice(0, 7), date);
            this.chooseDay(date);
        }
    }

    onKeydown(ev) {
        if (this.zonePicker.onKeydown(ev)) {
            return;
        }
        const button = ev.target.closest?.(".o_bookme_cal_day");
        if (button && this.grid?.contains(button)) {
            if (NAV_KEYS.includes(ev.key)) {
                this.onGridKeydown(ev, button);
            } else if (ev.key === "Enter" || ev.key === " ") {
                ev.preventDefault();
                this.chooseDay(button.dataset.date);
            }
            return;
        }
        const slot = ev.target.closest?.(".o_bookme_slot");
        if (slot && (ev.key === "Enter" || ev.key === " ")) {
            ev.preventDefault();
            this.chooseSlot(slot.dataset.start);
        }
    }

    onInput(ev) {
        if (this.zonePicker.onInput(ev)) {
            return;
        }
        // A corrected field is no longer marked wrong.
        if (ev.target.classList?.contains("is-invalid")) {
            this.clearFieldError(ev.target);
        }
    }

    clearFieldError(input) {
        input.classList.remove("is-invalid");
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        const feedback = this.form?.querySelector(`#${input.id}_error`);
        if (feedback) {
            feedback.hidden = true;
            feedback.textContent = "";
        }
    }

    async onSubmit(ev) {
        if (ev.target.classList.contains("o_bookme_reschedule_form")) {
            return; // a plain form post: the server answers with the booking page
        }
        ev.preventDefault();
        if (this.busy || !this.slot) {
            return;
        }
        const form = ev.target;
        const values = Object.fromEntries(new FormData(form).entries());
        const body = {
            start: this.slot.start,
            name: values.name,
            email: values.email,
            phone: values.phone || undefined,
            note: values.note || undefined,
            location_id: values.location_id ? Number(values.location_id) : undefined,
            tz: this.tz,
            lang: this.apiLang || undefined,
            idempotency_key: this.idempotencyKey,
            invite: this.invite || undefined,
        };
        this.busy = true;
        form.querySelector(".o_bookme_submit").disabled = true;
        let response, payload;
        try {
            response = await this.waitFor(
                fetch(`${this.api}/bookings`, {
                    method: "POST",
                    headers: { "Content-Type": "application/json", Accept: "application/json" },
                    body: JSON.stringify(body),
                })
            );
            payload = await this.waitFor(response.json());
        } catch {
            this.busy = false;
            this.showFormErrors(
                _t("Your booking could not be sent. Check your connection and try again.")
            );
            return;
        }
        this.busy = false;
        if (response.status === 201) {
            const booking = payload.booking;
            const params = new URLSearchParams({ new: "1" });
            if (new URLSearchParams(window.location.search).get("embed")) {
                params.set("embed", "1");
            }
            window.location.assign(`${booking.manage_url}?${params}`);
            return;
        }
        const error = payload.error || {};
        if (error.code === "slot_unavailable") {
            await this.slotTaken(error.message);
            return;
        }
        if (error.code === "idempotency_conflict") {
            // An earlier attempt of this page (whose answer was lost) had other details:
            // the next click is a new request.
            this.idempotencyKey = this.newKey();
        }
        const fields = error.fields || (error.field ? { [error.field]: error.message } : {});
        this.showFormErrors(error.message || _t("Something went wrong. Please try again."), fields);
    }

    /** The time was taken meanwhile: the day and the form stay, the times are refreshed. */
    async slotTaken(message) {
        this.idempotencyKey = this.newKey();
        this.slot = null;
        const keepDay = this.day;
        this.resetSlots();
        this.month = keepDay.slice(0, 7);
        try {
            await this.loadMonth(this.month);
        } catch (error) {
            this.loadError = error.message;
        }
        this.day = keepDay;
        this.timesError = message;
        this.renderCalendar();
        this.renderTimes();
        this.renderForm();
        this.form.querySelector(".o_bookme_form_alert").replaceChildren();
        this.announce(message);
        this.focusTimes();
    }

    showFormErrors(message, fields = {}) {
        const form = this.form;
        if (!form) {
            return;
        }
        form.querySelector(".o_bookme_submit").disabled = !this.slot;
        form.querySelectorAll(".is-invalid").forEach((el) => this.clearFieldError(el));
        const alertBox = form.querySelector(".o_bookme_form_alert");
        alertBox.replaceChildren();
        let first = null;
        for (const [name, text] of Object.entries(fields)) {
            const input = form.querySelector(`[name="${name}"]`);
            const feedback = input && form.querySelector(`#${input.id}_error`);
            if (!feedback) {
                continue;
            }
            input.classList.add("is-invalid");
            input.setAttribute("aria-invalid", "true");
            input.setAttribute("aria-describedby", feedback.id);
            feedback.textContent = text || message;
            feedback.hidden = false;
            first = first || input;
        }
        if (!first) {
            alertBox.append(
                h(
                    "div",
                    { class: "alert alert-danger o_bookme_error mt-3", role: "alert" },
                    message
                )
            );
        }
        this.announce(message);
        first?.focus();
    }
}

registry.category("public.interactions").add("crm_bookme.booking_widget", BookmeBookingWidget);
