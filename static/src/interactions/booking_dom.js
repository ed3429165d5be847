/**
 * Small helpers of the booking widget: DOM building (never HTML strings) and dates in the
 * page's language (luxon, which Odoo ships as a global).
 */
const { DateTime, Info } = luxon;

/**
 * A DOM element: ``h("button", { class: "btn", type: "button", dataset: { start } }, "text")``.
 * Texts become text nodes and attributes are set one by one, so server or visitor data
 * (a pre-filled name, a location's name, an error message) is never parsed as HTML.
 * An attribute whose value is ``false``, ``null`` or ``undefined`` is left out; ``true``
 * sets it empty (``hidden``, ``disabled``, ``selected``, ``required``).
 */
export function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (value === false || value === null || value === undefined) {
            continue;
        }
        if (name === "dataset") {
            Object.assign(el.dataset, value);
        } else if (
            name === "value" &&
            (tag === "input" || tag === "textarea" || tag === "select")
        ) {
            el.setAttribute("value", String(value));
            el.value = String(value);
        } else {
            el.setAttribute(name, value === true ? "" : String(value));
        }
    }
    el.append(
        ...children.flat().filter((child) => child !== null && child !== undefined && child !== "")
    );
    return el;
}

/** The page's language as a BCP 47 tag (``<html lang>``, then the widget's ``data-lang``). */
export function pageLocale(fallback) {
    return document.documentElement.getAttribute("lang") || fallback || "en-US";
}

/** The browser's zone, or ``fallback``. */
export function browserZone(fallback) {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || fallback;
    } catch {
        return fallback;
    }
}

/** A calendar day (``YYYY-MM-DD``) as a luxon date at midnight UTC (no zone arithmetic). */
export function day(iso) {
    return DateTime.fromISO(iso, { zone: "utc" });
}

export function todayIn(tz) {
    return DateTime.now().setZone(tz).toISODate();
}

/**
 * Formats of one page language. Every date and time of the widget goes through here, so
 * the days, the times and the summary follow one convention per language (the locale's
 * own: 24-hour clock in nb, it, he, et; what the locale says in en).
 */
export class Formats {
    constructor(locale) {
        this.locale = locale;
        let firstDay = 1;
        try {
            firstDay = Info.getStartOfWeek({ locale }) || 1;
        } catch {
            // Old browsers: Monday.
        }
        this.firstDay = firstDay; // 1 = Monday … 7 = Sunday
    }

    time(iso, tz) {
        return DateTime.fromISO(iso, { setZone: true })
            .setZone(tz)
            .setLocale(this.locale)
            .toLocaleString(DateTime.TIME_SIMPLE);
    }

    longDay(iso) {
        return day(iso)
            .setLocale(this.locale)
            .toLocaleString({ weekday: "long", day: "numeric", month: "long" });
    }

    fullDay(iso) {
        return day(iso).setLocale(this.locale).toLocaleString({
            weekday: "long",
            day: "numeric",
            month: "long",
            year: "numeric",
        });
    }

    month(iso) {
        return day(iso).setLocale(this.locale).toLocaleString({ month: "long", year: "numeric" });
    }

    /** The weekday headers, in the locale's week order: [{ short, long }]. */
    weekdays() {
        const short = Info.weekdays("short", { locale: this.locale });
        const long = Info.weekdays("long", { locale: this.locale });
        const order = [...Array(7).keys()].map((i) => (this.firstDay - 1 + i) % 7);
        return order.map((i) => ({ short: short[i], long: long[i] }));
    }

    number(n) {
        return new Intl.NumberFormat(this.locale).format(n);
    }

    /** "30 min", "1 hr", "1 hr 30 min" in the page language. */
    duration(minutes) {
        const unit = (value, name) =>
            new Intl.NumberFormat(this.locale, {
                style: "unit",
                unit: name,
                unitDisplay: "short",
            }).format(value);
        const hours = Math.floor(minutes / 60);
        const rest = minutes % 60;
        if (!hours) {
            return unit(minutes, "minute");
        }
        return rest ? `${unit(hours, "hour")} ${unit(rest, "minute")}` : unit(hours, "hour");
    }

    /** "a, b or c" in the page language. */
    either(items) {
        try {
            return new Intl.ListFormat(this.locale, { type: "disjunction" }).format(items);
        } catch {
            return items.join(" / ");
        }
    }

    /** "+01:00" now in ``tz``. */
    offset(tz) {
        return DateTime.now().setZone(tz).toFormat("ZZ");
    }
}
