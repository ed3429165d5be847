import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";

/**
 * In an ?embed=1 page shown inside an iframe: tell the parent page how tall the content
 * is, so the iframe can grow with it (the "Booking" block listens for this).
 */
export class BookmeEmbedHeight extends Interaction {
    static selector = ".o_bookme_embed";

    start() {
        if (window.parent === window) {
            return;
        }
        const post = () => {
            window.parent.postMessage({ bookmeHeight: this.el.scrollHeight }, "*");
        };
        const observer = new ResizeObserver(post);
        observer.observe(this.el);
        this.registerCleanup(() => observer.disconnect());
        post();
    }
}

registry.category("public.interactions").add("crm_bookme.embed_height", BookmeEmbedHeight);
