import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const DAY = 1440;
const HOUR = 60;

/**
 * A duration stored in minutes (the contract's unit), entered as minutes, hours or days:
 * "2 days" rather than 2880. The unit shown first is the largest that fits exactly.
 */
export class BookmeDurationField extends Component {
    static template = "crm_bookme.BookmeDurationField";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ unit: this.bestUnit(this.minutes) });
    }

    get minutes() {
        return this.props.record.data[this.props.name] || 0;
    }

    bestUnit(minutes) {
        if (minutes && minutes % DAY === 0) {
            return DAY;
        }
        if (minutes && minutes % HOUR === 0) {
            return HOUR;
        }
        return 1;
    }

    get amount() {
        return Math.round((this.minutes / this.state.unit) * 100) / 100;
    }

    update(amount) {
        this.props.record.update({ [this.props.name]: Math.round(amount * this.state.unit) });
    }

    onAmountChange(ev) {
        const amount = parseFloat(String(ev.target.value).replace(",", "."));
        if (!Number.isNaN(amount) && amount >= 0) {
            this.update(amount);
        } else {
            ev.target.value = this.amount;
        }
    }

    onUnitChange(ev) {
        const amount = this.amount;
        this.state.unit = parseInt(ev.target.value, 10);
        this.update(amount);
    }
}

registry.category("fields").add("bookme_duration", {
    component: BookmeDurationField,
    supportedTypes: ["integer"],
});
