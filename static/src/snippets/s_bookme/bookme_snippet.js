import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";

/**
 * The "Booking" website block: shows the chosen event type's booking page (its chrome-less
 * ?embed=1 version) in an iframe that grows with its content.
 */
export class BookmeSnippet extends Interaction {
    static selector = ".s_bookme";

    start() {
        const typeId = parseInt(this.el.dataset.id);
        const frame = this.el.querySelector(".s_bookme_frame");
        if (!typeId || !frame) {
            return;
        }
        const iframe = document.createElement("iframe");
        iframe.src = `/book/embed/${typeId}`;
        iframe.title = _t("Booking calendar");
        iframe.className = "s_bookme_iframe w-100 border-0";
        iframe.style.height = "720px";
        iframe.setAttribute("loading", "lazy");
        this.insert(iframe, frame);
        const placeholder = frame.querySelector(".s_bookme_placeholder");
        if (placeholder) {
            placeholder.classList.add("d-none");
            this.registerCleanup(() => placeholder.classList.remove("d-none"));
        }
        this.addListener(window, "message", (ev) => {
            if (ev.source === iframe.contentWindow && Number.isFinite(ev.data?.bookmeHeight)) {
                iframe.style.height = `${Math.ceil(ev.data.bookmeHeight) + 4}px`;
            }
        });
    }
}

registry.category("public.interactions").add("crm_bookme.snippet", BookmeSnippet);
