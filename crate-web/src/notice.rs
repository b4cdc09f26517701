//! The notice shown instead of a working Connect button when this tab has no Web Serial.
//! Names the browsers that work and, for plain-http pages, the addresses that do.

use leptos::prelude::*;

use crate::support::{SUPPORTED_BROWSERS, SerialSupport, WHERE_IT_WORKS};

/// Explains why Web Serial is missing here and what to open instead.
#[component]
pub fn UnsupportedNotice(support: SerialSupport) -> impl IntoView {
    let reason = match support {
        SerialSupport::InsecureOrigin => {
            "Web Serial only works on secure pages. Open bkflash over https://, or locally on http://127.0.0.1 or http://localhost."
        }
        SerialSupport::MissingApi | SerialSupport::Available => {
            "This browser has no Web Serial, so bkflash cannot reach a USB-UART adapter from here."
        }
    };
    let browsers = SUPPORTED_BROWSERS
        .iter()
        .map(|b| view! { <li>{b.name}" "{b.since}"+"</li> })
        .collect_view();
    view! {
        <section id="unsupported" class="notice" role="alert" aria-labelledby="unsupported-title">
            <h2 id="unsupported-title">"Web Serial is not available"</h2>
            <p>{reason}</p>
            <p>"Browsers that work (desktop, on https:// or http://127.0.0.1):"</p>
            <ul class="browsers">{browsers}</ul>
            <p class="hint">{WHERE_IT_WORKS}</p>
            <p class="hint">"You can still try every step with the virtual device below."</p>
        </section>
    }
}
