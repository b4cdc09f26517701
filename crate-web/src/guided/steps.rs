//! The step bar above every guided screen after Start: Connect · Back up · Install · Finish, with
//! the current one marked for sight (bold, a filled bar) and for screen readers (`aria-current`).

use leptos::prelude::*;

use super::Screen;

/// The four steps, in order.
const STEPS: [&str; 4] = ["Connect", "Back up", "Install", "Finish"];

/// Which of `STEPS` a screen belongs to; `None` on Start.
fn step_of(screen: Screen) -> Option<usize> {
    match screen {
        Screen::Start => None,
        Screen::Connecting | Screen::NoLink => Some(0),
        Screen::Backup | Screen::BackingUp => Some(1),
        Screen::Install | Screen::Installing | Screen::Error => Some(2),
        Screen::Finish => Some(3),
    }
}

#[component]
pub fn StepBar(screen: Memo<Screen>) -> impl IntoView {
    move || {
        step_of(screen.get()).map(|current| {
            let items = STEPS
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let class = if i < current {
                        "done"
                    } else if i == current {
                        "now"
                    } else {
                        "later"
                    };
                    view! { <li class=class aria-current=(i == current).then_some("step")>{*name}</li> }
                })
                .collect_view();
            view! { <ol class="guided-steps" aria-label="Steps">{items}</ol> }
        })
    }
}
