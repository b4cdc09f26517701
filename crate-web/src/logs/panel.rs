//! The monitor window, the same for both ports: timestamps, pause/follow, clear, search, save to a
//! file, the text (bounded, scrolled to the end while following) and a line to send.

use bkflash_core::monitor::{LINE_ENDINGS, LineEnding};
use leptos::html::Pre;
use leptos::prelude::*;

use super::clock::file_stamp;
use super::monitor_state::{MonitorState, SHOWN_LINES};
use crate::files;

/// Labels of the line endings, as the select shows them.
static ENDING_LABELS: [(LineEnding, &str); 4] = [
    (LineEnding::Lf, "LF (\\n)"),
    (LineEnding::CrLf, "CR LF (\\r\\n)"),
    (LineEnding::Cr, "CR (\\r)"),
    (LineEnding::None, "no line ending"),
];

/// One monitor window. Element ids start with `prefix`; the text is `#{text_id}`; saved files are
/// named `bkflash-log-{file_tag}-<date>.txt`.
#[component]
pub fn MonitorPanel(
    state: MonitorState,
    prefix: &'static str,
    text_id: &'static str,
    file_tag: &'static str,
    #[prop(into)] can_send: Signal<bool>,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let pre = NodeRef::<Pre>::new();
    let (typed, set_typed) = signal(String::new());
    let (save_error, set_save_error) = signal(None::<String>);
    Effect::new(move |_| {
        state.version.track();
        if state.is_following()
            && let Some(pre) = pre.get()
        {
            pre.set_scroll_top(f64::from(pre.scroll_height()));
        }
    });
    let save = move |_| {
        let name = format!("bkflash-log-{file_tag}-{}.txt", file_stamp());
        set_save_error.set(files::download(&name, state.saved_text().as_bytes()).err());
    };
    let send = move || {
        state.send_line(&typed.get_untracked());
        set_typed.set(String::new());
    };
    let on_ending = move |ev| {
        let value = event_target_value(&ev);
        if let Some(ending) = LineEnding::from_name(&value) {
            state.ending.set(ending);
        }
    };
    let figure = move |index: usize| state.figures()[index].to_string();
    view! {
        <div class="monitor" id=id("panel")>
            <div class="row">
                <button id=id("pause") type="button" on:click=move |_| state.toggle_pause()
                    aria-pressed=move || (!state.is_following()).to_string()>
                    {move || if state.is_following() { "Pause" } else { "Follow" }}
                </button>
                <button id=id("clear") type="button" on:click=move |_| state.clear()>"Clear"</button>
                <label for=id("search")>"Search"</label>
                <input id=id("search") type="search" placeholder="text in a line"
                    on:input=move |ev| state.set_query(&event_target_value(&ev)) />
                <label class="check">
                    <input id=id("timestamps") type="checkbox" prop:checked=move || state.timestamps.get()
                        on:change=move |ev| state.timestamps.set(event_target_checked(&ev)) />
                    "Timestamps"
                </label>
                <button id=id("save") type="button" on:click=save>"Save to file"</button>
            </div>
            <pre id=text_id class="log mono monitor-text" node_ref=pre aria-live="off">{move || state.text()}</pre>
            <p id=id("status") class="hint"
                data-lines=move || figure(0) data-dropped=move || figure(1)
                data-received=move || figure(2) data-held=move || figure(3)>
                {move || format!("{}. Showing the last {SHOWN_LINES} at most.", state.status())}
            </p>
            {move || save_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <form class="row" on:submit=move |ev| { ev.prevent_default(); send(); }>
                <label for=id("send-text")>"Send"</label>
                <input id=id("send-text") type="text" placeholder="a command, e.g. help"
                    prop:value=move || typed.get() on:input=move |ev| set_typed.set(event_target_value(&ev)) />
                <label for=id("ending") class="visually-hidden">"Line ending"</label>
                <select id=id("ending") on:change=on_ending>
                    {LINE_ENDINGS.iter().map(|(ending, name, _)| {
                        let label = ENDING_LABELS.iter().find(|row| row.0 == *ending).map_or(*name, |row| row.1);
                        view! { <option value=*name selected=*ending == LineEnding::default()>{label}</option> }
                    }).collect_view()}
                </select>
                <button id=id("send") type="submit" disabled=move || !can_send.get()>"Send line"</button>
            </form>
        </div>
    }
}
