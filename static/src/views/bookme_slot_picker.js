import { Component } from "@odoo/owl";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A datetime field chosen among offered times: one button per free time of the day
 * (the record's `free_slots`: [{value: UTC "YYYY-MM-DD HH:MM:SS", label: "HH:MM"}]).
 * Nothing is typed, so only a time the engine offers can be picked.
 */
export class BookmeSlotPicker extends Component {
    static template = "crm_bookme.BookmeSlotPicker";
    static props = { ...standardFieldProps, slotsField: { type: String } };

    get slots() {
        return (this.props.record.data[this.props.slotsField] || []).map((slot) => ({
            ...slot,
            millis: deserializeDateTime(slot.value).toMillis(),
        }));
    }

    isSelected(slot) {
        const value = this.props.record.data[this.props.name];
        return Boolean(value) && value.toMillis() === slot.millis;
    }

    select(slot) {
        this.props.record.update({ [this.props.name]: deserializeDateTime(slot.value) });
    }
}

registry.category("fields").add("bookme_slot_picker", {
    component: BookmeSlotPicker,
    supportedTypes: ["datetime"],
    extractProps: ({ options }) => ({ slotsField: options.slots_field || "free_slots" }),
});
