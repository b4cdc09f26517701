//! "Copy report" on the failure screens: the page's hardware report (logs/report.rs) put on the
//! clipboard, with a line saying whether that worked.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clipboard::copy_text;
use crate::logs::report::page_report;
use crate::session::Session;

#[component]
pub fn CopyReport() -> impl IntoView {
    let session = expect_context::<Session>();
    let (said, set_said) = signal(None::<&'static str>);
    let copy = move |_| {
        let text = page_report(session, None);
        spawn_local(async move {
            let copied = copy_text(&text).await;
            set_said.set(Some(if copied {
                "Copied. Paste it into an issue; it holds no file content and no flash data."
            } else {
                "The browser did not let the page copy. The expert view's \"Save report\" saves it as a file."
            }));
        });
    };
    view! {
        <button type="button" class="link" on:click=copy>"Copy report"</button>
        <p class="guided-note" role="status">{move || said.get()}</p>
    }
}
