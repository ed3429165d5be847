import { registry } from "@web/core/registry";

/**
 * A composer link pre-fills a name full of quotes and HTML. The widget must show it as
 * text: no script runs, no element is injected, and the name reaches the booking and its
 * page exactly as written. The test passes the expected name in the page's URL hash.
 */
const NAME = `O'Brien "<script>window.__bookme_xss=1</script>" <img src=x onerror="window.__bookme_xss=2">`;

function assertNoScriptRan() {
    if (window.__bookme_xss !== undefined) {
        throw new Error(`Injected script ran (window.__bookme_xss = ${window.__bookme_xss})`);
    }
    const injected = document.querySelector(
        ".o_bookme_widget img, .o_bookme_widget script, .o_bookme_details img[src=x]"
    );
    if (injected) {
        throw new Error(`Injected element in the page: ${injected.outerHTML}`);
    }
}

registry.category("web_tour.tours").add("crm_bookme_prefill_xss", {
    steps: () => [
        {
            content: "Pick the first day offered",
            trigger: ".o_bookme_widget .o_bookme_grid .o_bookme_day:first",
            run: "click",
        },
        {
            content: "Pick its first time",
            trigger: ".o_bookme_widget .o_bookme_slots .o_bookme_slot:first",
            run: "click",
        },
        {
            content: "The pre-filled name is the literal text, and nothing ran",
            trigger: ".o_bookme_form input[name=name]",
            run() {
                assertNoScriptRan();
                if (this.anchor.value !== NAME) {
                    throw new Error(`Pre-filled name is ${JSON.stringify(this.anchor.value)}`);
                }
                const email = document.querySelector(".o_bookme_form input[name=email]").value;
                if (email !== "obrien@example.com") {
                    throw new Error(`Pre-filled email is ${JSON.stringify(email)}`);
                }
            },
        },
        {
            content: "Confirm",
            trigger: ".o_bookme_form .o_bookme_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The success page shows the name literally, and nothing ran",
            trigger: ".o_bookme_success:contains(Your appointment is booked)",
            run() {
                assertNoScriptRan();
                const shown = document.querySelector(".o_bookme_guest_name").textContent.trim();
                if (shown !== NAME) {
                    throw new Error(`The page shows the name as ${JSON.stringify(shown)}`);
                }
            },
        },
    ],
});
