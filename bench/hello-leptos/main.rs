//! Leptos hello world with a Connect button that counts clicks: the baseline bench/browser.mjs
//! compares the page's start-up with.

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let (clicks, set_clicks) = signal(0);
        view! {
            <h1>"Hello"</h1>
            <button id="connect" type="button" on:click=move |_| set_clicks.update(|n| *n += 1)>"Connect"</button>
            <p>{move || format!("Clicked {} times", clicks.get())}</p>
        }
    });
}
