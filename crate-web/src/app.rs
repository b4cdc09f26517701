//! The bkflash page: heading, the unsupported-browser notice, and the Connect step.
//! Connect asks the browser for a port and reports which adapter was picked.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::notice::UnsupportedNotice;
use crate::serial::{PortInfo, pick_port};
use crate::support::{self, SerialSupport};

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let support = support::detect();
    let available = support == SerialSupport::Available;
    let (status, set_status) = signal(String::from(if available {
        "Not connected."
    } else {
        "Connect needs Web Serial (see the notice above)."
    }));
    let (busy, set_busy) = signal(false);

    let connect = move |_| {
        set_busy.set(true);
        set_status.set(String::from("Waiting for you to choose a port…"));
        spawn_local(async move {
            let message = match pick_port().await {
                Ok(port) => format!("Port chosen: {}.", PortInfo::of(&port)),
                Err(error) => error.to_string(),
            };
            set_status.set(message);
            set_busy.set(false);
        });
    };

    view! {
        <main class="page">
            <header class="masthead">
                <h1>"bkflash"</h1>
                <p class="tagline">
                    "Back up and flash Beken BK72xx Wi-Fi chips (BK7231T, BK7231N, …) from your browser. Nothing to install."
                </p>
            </header>
            {(!available).then(|| view! { <UnsupportedNotice support=support /> })}
            <section class="panel" aria-labelledby="connect-title">
                <h2 id="connect-title">"Connect"</h2>
                <p>
                    "Plug in a 3.3 V USB-UART adapter wired to the chip's UART1, then choose its port."
                </p>
                <button
                    id="connect"
                    type="button"
                    class="primary"
                    on:click=connect
                    disabled=move || !available || busy.get()
                    aria-describedby="status"
                >
                    "Connect"
                </button>
                <p id="status" role="status" aria-live="polite">{status}</p>
            </section>
        </main>
    }
}
