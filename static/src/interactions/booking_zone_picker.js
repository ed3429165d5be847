import { _t } from "@web/core/l10n/translation";

import { h } from "@crm_bookme/interactions/booking_dom";
import { TIME_ZONES, ZONE_ALIASES } from "@crm_bookme/interactions/time_zones";

/** The current name of ``tz`` (Asia/Calcutta -> Asia/Kolkata), or ``tz`` itself. */
export function canonicalZone(tz) {
    return ZONE_ALIASES[tz] || tz;
}

function zoneLabel(tz) {
    return tz.replaceAll("_", " ");
}

function searchKey(text) {
    return text
        .toLowerCase()
        .replaceAll("_", " ")
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "");
}

/**
 * The time zone chooser of the booking widget: a button naming the zone and its UTC
 * offset, opening a searchable list (the ARIA combobox pattern: type to filter, arrows to
 * move, Enter to choose, Escape to close) of the current IANA zone names with their
 * offsets. ``onChoose(tz)`` is called with the chosen zone.
 */
export class ZonePicker {
    constructor({ formats, tz, idPrefix, onChoose }) {
        this.formats = formats;
        this.tz = tz;
        this.id = idPrefix;
        this.onChoose = onChoose;
        this.open = false;
        this.active = -1;
        this.options = null; // [{ tz, label, key }] computed when first opened
        this.el = h("div", { class: "o_bookme_zone position-relative" });
        this.render();
    }

    label(tz) {
        return tz === "UTC" ? "UTC" : `${zoneLabel(tz)} (UTC${this.formats.offset(tz)})`;
    }

    allOptions() {
        if (!this.options) {
            const zones = TIME_ZONES.includes(this.tz) ? TIME_ZONES : [this.tz, ...TIME_ZONES];
            this.options = zones.map((tz) => {
                const label = this.label(tz);
                return { tz, label, key: searchKey(label) };
            });
        }
        return this.options;
    }

    filtered() {
        const query = searchKey((this.input?.value || "").trim());
        const options = this.allOptions();
        if (!query) {
            return options;
        }
        const words = query.split(/\s+/);
        return options.filter((o) => words.every((w) => o.key.includes(w)));
    }

    render() {
        const toggle = h(
            "button",
            {
                type: "button",
                class: "btn btn-link p-0 text-start o_bookme_tz_toggle",
                "aria-expanded": this.open ? "true" : "false",
                "aria-controls": `${this.id}_panel`,
                "aria-label": _t("Time zone: %s. Change the time zone", this.label(this.tz)),
            },
            h("span", { class: "o_bookme_tz_current" }, this.label(this.tz)),
            " ",
            h("i", { class: "fa fa-caret-down", "aria-hidden": "true" })
        );
        this.toggleEl = toggle;
        const children = [toggle];
        if (this.open) {
            this.input = h("input", {
                type: "search",
                id: `${this.id}_search`,
                class: "form-control o_bookme_tz_search",
                role: "combobox",
                autocomplete: "off",
                "aria-autocomplete": "list",
                "aria-expanded": "true",
                "aria-controls": `${this.id}_list`,
                placeholder: _t("City or region"),
            });
            this.list = h("ul", {
                id: `${this.id}_list`,
                class: "list-unstyled mb-0 o_bookme_tz_list",
                role: "listbox",
                "aria-label": _t("Time zones"),
            });
            children.push(
                h(
                    "div",
                    { id: `${this.id}_panel`, class: "o_bookme_tz_panel card shadow p-2 mt-1" },
                    h(
                        "label",
                        { class: "form-label small mb-1", for: `${this.id}_search` },
                        _t("Search time zones")
                    ),
                    this.input,
                    this.list
                )
            );
        } else {
            this.input = null;
            this.list = null;
        }
        this.el.replaceChildren(...children);
        if (this.open) {
            this.renderList();
        }
    }

    renderList() {
        const options = this.filtered();
        this.shown = options;
        if (this.active >= options.length) {
            this.active = options.length - 1;
        }
        this.list.replaceChildren(
            ...(options.length
                ? options.map((o, index) =>
                      h(
                          "li",
                          {
                              id: `${this.id}_opt_${index}`,
                              role: "option",
                              class: `o_bookme_tz_option${
                                  index === this.active ? " o_bookme_tz_active" : ""
                              }`,
                              "aria-selected": o.tz === this.tz ? "true" : "false",
                              dataset: { tz: o.tz },
                          },
                          o.label
                      )
                  )
                : [
                      h(
                          "li",
                          { class: "text-muted small p-2", role: "presentation" },
                          _t("No time zone matches.")
                      ),
                  ])
        );
        if (this.active >= 0) {
            this.input.setAttribute("aria-activedescendant", `${this.id}_opt_${this.active}`);
            this.list.children[this.active]?.scrollIntoView({ block: "nearest" });
        } else {
            this.input.removeAttribute("aria-activedescendant");
        }
    }

    setOpen(open) {
        this.open = open;
        this.active = -1;
        this.render();
        (open ? this.input : this.toggleEl).focus();
    }

    choose(tz) {
        this.tz = tz;
        this.options = null;
        this.setOpen(false);
        this.onChoose(tz);
    }

    setZone(tz) {
        this.tz = tz;
        this.options = null;
        this.render();
    }

    /** Events of the widget's root that concern the picker; true when handled. */
    onClick(ev) {
        if (ev.target.closest(".o_bookme_tz_toggle")) {
            this.setOpen(!this.open);
            return true;
        }
        const option = ev.target.closest(".o_bookme_tz_option");
        if (option && this.el.contains(option)) {
            this.choose(option.dataset.tz);
            return true;
        }
        return false;
    }

    onInput(ev) {
        if (ev.target === this.input) {
            this.active = this.filtered().length ? 0 : -1;
            this.renderList();
            return true;
        }
        return false;
    }

    onKeydown(ev) {
        if (!this.open || !this.el.contains(ev.target)) {
            return false;
        }
        if (ev.key === "Escape") {
            ev.preventDefault();
            this.setOpen(false);
            return true;
        }
        if (ev.target !== this.input) {
            return false;
        }
        const count = this.shown?.length || 0;
        if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
            ev.preventDefault();
            if (count) {
                const step = ev.key === "ArrowDown" ? 1 : -1;
                this.active = (this.active + step + count) % count;
                this.renderList();
            }
            return true;
        }
        if (ev.key === "Enter") {
            ev.preventDefault();
            const option = this.shown?.[this.active >= 0 ? this.active : 0];
            if (option && (this.active >= 0 || count === 1)) {
                this.choose(option.tz);
            }
            return true;
        }
        return false;
    }
}
