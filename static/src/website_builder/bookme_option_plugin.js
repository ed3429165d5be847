import { BuilderAction } from "@html_builder/core/builder_action";
import { BaseOptionComponent } from "@html_builder/core/utils";
import { Plugin } from "@html_editor/plugin";
import { registry } from "@web/core/registry";

export class BookmeOption extends BaseOptionComponent {
    static template = "crm_bookme.BookmeOption";
    static selector = ".s_bookme";
}

/** The "Booking" block's option: which event type it shows (stored in data-id). */
class BookmeOptionPlugin extends Plugin {
    static id = "bookmeOption";
    static dependencies = ["builderActions"];
    resources = {
        builder_options: [BookmeOption],
        builder_actions: { BookmeEventTypeAction },
        on_snippet_dropped_handlers: this.onSnippetDropped.bind(this),
    };

    async onSnippetDropped({ snippetEl }) {
        if (snippetEl.dataset.snippet !== "s_bookme") {
            return;
        }
        const types = await this.services.orm.searchRead(
            "bookme.event.type",
            [
                ["is_published", "=", true],
                ["is_personal", "=", false],
            ],
            ["id"],
            { limit: 1 }
        );
        if (!this.isDestroyed && types.length) {
            snippetEl.dataset.id = types[0].id;
        }
    }
}

export class BookmeEventTypeAction extends BuilderAction {
    static id = "bookmeEventTypeAction";
    static dependencies = ["builderActions"];
    apply({ editingElement, value }) {
        const { id } = JSON.parse(value);
        this.dataAttribute().apply({ editingElement, params: { mainParam: "id" }, value: id });
    }
    clean({ editingElement }) {
        this.dataAttribute().clean({ editingElement, params: { mainParam: "id" } });
    }
    getValue({ editingElement }) {
        const id = this.dataAttribute().getValue({ editingElement, params: { mainParam: "id" } });
        return id ? JSON.stringify({ id: parseInt(id) }) : undefined;
    }
    dataAttribute() {
        return this.dependencies.builderActions.getAction("dataAttributeAction");
    }
}

registry.category("website-plugins").add(BookmeOptionPlugin.id, BookmeOptionPlugin);
