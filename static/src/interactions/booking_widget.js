import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";

const WINDOW_DAYS = 31;

// Labels of the widget. Kept out of the template literals below, where Odoo's
// translation extractor does not look (_t is lazy at module level).
const LABELS = {
    timesIn: _t("Times in"),
    noTimes: _t("No times are available in the coming weeks."),
    lookFurtherAhead: _t("Look further ahead"),
    chooseADay: _t("Choose a day"),
    earlier: _t("Earlier"),
    later: _t("Later"),
    where: _t("Where"),
    choose: _t("Choose…"),
    yourDetails: _t("Your details"),
    name: _t("Name"),
    email: _t("Email"),
    phoneOptional: _t("Phone (optional)"),
    noteOptional: _t("Anything to tell us? (optional)"),
};


/**
 * A DOM element: ``h("button", { class: "btn", type: "button", dataset: { start } }, "text")``.
 * Texts become text nodes and attributes are set one by one, so server or visitor data
 * (a pre-filled name, a location's name, an error message) is never parsed as HTML.
 * An attribute whose value is ``false``, ``null`` or ``undefined`` is left out; ``true``
 * sets it empty (``hidden``, ``disabled``, ``selected``, ``required``).
 */
function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (value === false || value === null || value === undefined) {
            continue;
        }
        if (name === "dataset") {
            Object.assign(el.dataset, value);
        } else if (name === "value" && (tag === "input" || tag === "textarea" || tag === "select")) {
            el.setAttribute("value", String(value));
            el.value = String(value);
        } else {
            el.setAttribute(name, value === true ? "" : String(value));
        }
    }
    el.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== ""));
    return el;
}

function todayIn(tz) {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date());
}

function addDays(isoDate, days) {
    const [y, m, d] = isoDate.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function browserTz(fallback) {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || fallback;
    } catch {
        return fallback;
    }
}

/**
 * Book Me's booking widget: pick a day (skipped when only one has slots), a time in the
 * visitor's zone (switchable), fill in the details and confirm. Everything goes through
 * the public JSON API; the success page is the guest's own booking page.
 */
export class BookmeBookingWidget extends Interaction {
    static selector = ".o_bookme_widget";
    dynamicContent = {
        _root: {
            "t-on-click": this.onClick,
            "t-on-change": this.onChange,
            "t-on-submit": this.onSubmit,
        },
    };

    setup() {
        const data = this.el.dataset;
        this.api = data.api;
        this.hostTz = data.hostTz || "UTC";
        this.tz = data.tzDisplay === "host" ? this.hostTz : browserTz(this.hostTz);
        this.locale = data.lang || undefined;
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
        this.from = todayIn(this.tz);
        this.days = [];
        this.day = null;
        this.slot = null;
        this.error = "";
        this.busy = false;
        this.idempotencyKey = this.newKey();
    }

    async willStart() {
        await this.loadSlots();
    }

    start() {
        this.render();
    }

    newKey() {
        return (crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}-${Math.random()}`.replace(/[^\w.-]/g, "");
    }

    async loadSlots() {
        const to = addDays(this.from, WINDOW_DAYS - 1);
        let url = `${this.api}/slots?from=${this.from}&to=${to}&tz=${encodeURIComponent(this.tz)}`;
        if (this.invite) {
            url += `&invite=${encodeURIComponent(this.invite)}`;
        }
        if (this.booking) {
            url += `&booking=${encodeURIComponent(this.booking)}`;
        }
        try {
            const response = await this.waitFor(fetch(url, { headers: { Accept: "application/json" } }));
            const payload = await this.waitFor(response.json());
            if (!response.ok) {
                this.days = [];
                this.error = payload.error?.message || _t("The available times could not be loaded.");
                return;
            }
            this.days = payload.days;
            this.error = "";
        } catch {
            this.days = [];
            this.error = _t("The available times could not be loaded. Check your connection and try again.");
        }
        this.day = this.days.length === 1 ? this.days[0] : null;
        this.slot = null;
    }

    formatDay(isoDate, short = false) {
        const [y, m, d] = isoDate.split("-").map(Number);
        const options = short
            ? { weekday: "short", day: "numeric", month: "short" }
            : { weekday: "long", day: "numeric", month: "long" };
        return new Date(Date.UTC(y, m - 1, d, 12)).toLocaleDateString(this.locale, {
            timeZone: "UTC", ...options,
        });
    }

    formatTime(iso) {
        return new Date(iso).toLocaleTimeString(this.locale, {
            timeZone: this.tz, hour: "2-digit", minute: "2-digit",
        });
    }

    renderTz() {
        let zones = [this.tz];
        try {
            zones = Intl.supportedValuesOf("timeZone");
            if (!zones.includes(this.tz)) {
                zones = [this.tz, ...zones];
            }
        } catch {
            // Old browsers: only the current zone.
        }
        const options = zones.map((z) =>
            h("option", { value: z, selected: z === this.tz }, z.replaceAll("_", " "))
        );
        return h("div", { class: "d-flex align-items-center gap-2 mb-3 small" },
            h("label", { for: "bookme_tz", class: "text-muted text-nowrap" }, LABELS.timesIn),
            h("select", {
                id: "bookme_tz", name: "bookme_tz", class: "form-select form-select-sm o_bookme_tz w-auto",
            }, options),
        );
    }

    renderDays() {
        if (!this.days.length) {
            return [
                h("p", { class: "o_bookme_no_slots text-muted" }, LABELS.noTimes),
                h("button", { type: "button", class: "btn btn-outline-secondary btn-sm o_bookme_later" },
                    LABELS.lookFurtherAhead),
            ];
        }
        const buttons = this.days.map((day) =>
            h("button", {
                type: "button",
                class: `btn ${this.day === day ? "btn-primary" : "btn-outline-primary"} o_bookme_day`,
                dataset: { date: day.date },
            }, this.formatDay(day.date, true))
        );
        return [
            h("h3", { class: "h6" }, LABELS.chooseADay),
            h("div", { class: "d-flex flex-wrap gap-2 mb-3 o_bookme_days" }, buttons),
            h("div", { class: "d-flex gap-2 mb-3" },
                h("button", {
                    type: "button", class: "btn btn-link btn-sm p-0 o_bookme_earlier",
                    hidden: this.from <= todayIn(this.tz),
                }, LABELS.earlier),
                h("button", { type: "button", class: "btn btn-link btn-sm p-0 o_bookme_later" }, LABELS.later),
            ),
        ];
    }

    renderSlots() {
        if (!this.day) {
            return [];
        }
        const buttons = this.day.slots.map((slot) => {
            const active = this.slot && this.slot.start === slot.start;
            const seats = slot.seats_left > 1 ? [" ", h("small", {}, `(${_t("%s left", slot.seats_left)})`)] : [];
            return h("button", {
                type: "button",
                class: `btn ${active ? "btn-primary" : "btn-outline-secondary"} o_bookme_slot`,
                dataset: { start: slot.start },
            }, this.formatTime(slot.start), seats);
        });
        return [
            h("h3", { class: "h6" }, _t("Choose a time on %s", this.formatDay(this.day.date))),
            h("div", { class: "d-flex flex-wrap gap-2 mb-3 o_bookme_slots" }, buttons),
        ];
    }

    renderRescheduleForm() {
        const when = `${this.formatDay(this.day.date)}, ${this.formatTime(this.slot.start)} (${this.tz})`;
        return h("form", {
            class: "o_bookme_reschedule_form border-top pt-3", method: "post", action: this.rescheduleUrl,
        },
            h("input", { type: "hidden", name: "csrf_token", value: this.csrfToken }),
            h("input", { type: "hidden", name: "start", value: this.slot.start }),
            this.embed ? h("input", { type: "hidden", name: "embed", value: "1" }) : null,
            h("button", { type: "submit", class: "btn btn-primary o_bookme_reschedule_confirm" },
                _t("Move my appointment to %s", when)),
        );
    }

    renderForm() {
        if (!this.slot) {
            return null;
        }
        if (this.rescheduleUrl) {
            return this.renderRescheduleForm();
        }
        let locationField = null;
        if (this.locations.length > 1) {
            locationField = h("div", { class: "mb-3" },
                h("label", { class: "form-label", for: "bookme_location" }, LABELS.where),
                h("select", { id: "bookme_location", name: "location_id", class: "form-select", required: true },
                    h("option", { value: "" }, LABELS.choose),
                    this.locations.map((loc) => h("option", { value: loc.id }, loc.name)),
                ),
            );
        }
        const field = (label, input) => h("div", { class: "col-md-6 mb-3" },
            h("label", { class: "form-label", for: input.id }, label), input);
        const submit = this.requiresApproval ? _t("Request to book") : _t("Book now");
        return h("form", { class: "o_bookme_form border-top pt-3", novalidate: "novalidate" },
            h("h3", { class: "h6" }, LABELS.yourDetails),
            h("p", { class: "text-muted small" },
                `${this.formatDay(this.day.date)}, ${this.formatTime(this.slot.start)} (${this.tz})`),
            h("div", { class: "row" },
                field(LABELS.name, h("input", {
                    id: "bookme_name", name: "name", class: "form-control", required: true,
                    maxlength: "128", autocomplete: "name", value: this.prefill.name,
                })),
                field(LABELS.email, h("input", {
                    id: "bookme_email", name: "email", type: "email", class: "form-control", required: true,
                    maxlength: "254", autocomplete: "email", value: this.prefill.email,
                })),
                field(LABELS.phoneOptional, h("input", {
                    id: "bookme_phone", name: "phone", type: "tel", class: "form-control", maxlength: "64",
                    autocomplete: "tel",
                })),
            ),
            locationField,
            h("div", { class: "mb-3" },
                h("label", { class: "form-label", for: "bookme_note" }, LABELS.noteOptional),
                h("textarea", { id: "bookme_note", name: "note", class: "form-control", rows: "3", maxlength: "4000" }),
            ),
            h("button", { type: "submit", class: "btn btn-primary o_bookme_submit", disabled: this.busy }, submit),
        );
    }

    render() {
        const error = this.error
            ? h("div", { class: "alert alert-danger o_bookme_error", role: "alert" }, this.error)
            : null;
        const body = this.el.querySelector(".card-body");
        body.replaceChildren(
            ...[this.renderTz(), error, this.renderDays(), this.renderSlots(), this.renderForm()]
                .flat()
                .filter(Boolean)
        );
    }

    async reload() {
        await this.loadSlots();
        this.render();
    }

    async onClick(ev) {
        const target = ev.target.closest("button");
        if (!target || !this.el.contains(target)) {
            return;
        }
        if (target.classList.contains("o_bookme_day")) {
            this.day = this.days.find((day) => day.date === target.dataset.date) || null;
            this.slot = null;
            this.error = "";
            this.render();
        } else if (target.classList.contains("o_bookme_slot")) {
            this.slot = this.day.slots.find((slot) => slot.start === target.dataset.start) || null;
            this.error = "";
            this.render();
            this.el.querySelector("#bookme_name")?.focus();
        } else if (target.classList.contains("o_bookme_later")) {
            this.from = addDays(this.from, WINDOW_DAYS);
            await this.reload();
        } else if (target.classList.contains("o_bookme_earlier")) {
            const earliest = todayIn(this.tz);
            const from = addDays(this.from, -WINDOW_DAYS);
            this.from = from < earliest ? earliest : from;
            await this.reload();
        }
    }

    async onChange(ev) {
        if (ev.target.classList.contains("o_bookme_tz")) {
            this.tz = ev.target.value;
            this.from = todayIn(this.tz);
            await this.reload();
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
            lang: (this.locale || "").replace("-", "_") || undefined,
            idempotency_key: this.idempotencyKey,
            invite: this.invite || undefined,
        };
        this.busy = true;
        form.querySelector(".o_bookme_submit").disabled = true;
        let response, payload;
        try {
            response = await this.waitFor(fetch(`${this.api}/bookings`, {
                method: "POST",
                headers: { "Content-Type": "application/json", Accept: "application/json" },
                body: JSON.stringify(body),
            }));
            payload = await this.waitFor(response.json());
        } catch {
            this.busy = false;
            this.showFormError(_t("Your booking could not be sent. Check your connection and try again."));
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
            this.idempotencyKey = this.newKey();
            await this.loadSlots();
            this.error = error.message;
            this.render();
            return;
        }
        if (error.code === "idempotency_conflict") {
            // An earlier attempt of this page (whose answer was lost) had other details:
            // the next click is a new request.
            this.idempotencyKey = this.newKey();
        }
        this.showFormError(error.message || _t("Something went wrong. Please try again."), error.field);
    }

    showFormError(message, field) {
        const form = this.el.querySelector(".o_bookme_form");
        if (!form) {
            return;
        }
        form.querySelector(".o_bookme_submit").disabled = false;
        form.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
        form.querySelector(".o_bookme_error")?.remove();
        const input = field && form.querySelector(`[name="${field}"]`);
        input?.classList.add("is-invalid");
        const alert = document.createElement("div");
        alert.className = "alert alert-danger o_bookme_error mt-3";
        alert.setAttribute("role", "alert");
        alert.textContent = message;
        form.append(alert);
        input?.focus();
    }
}

registry.category("public.interactions").add("crm_bookme.booking_widget", BookmeBookingWidget);
