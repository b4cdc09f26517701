//! The bkflash page: provides the session once, a header with the view switch, then the guided flow
//! or the expert page (seven steps top to bottom). A half-second tick drives countdowns and speeds.
//! A choice made on the first-load Start screen (start_shell.rs) is carried out as soon as it mounts.

use leptos::prelude::*;

use crate::device::now_ms;
use crate::guided::{GuidedView, provide_guided};
use crate::handover;
use crate::inside::InsideSection;
use crate::logs::LogsSection;
use crate::notice::UnsupportedNotice;
use crate::session::Session;
use crate::support::{self, SerialSupport};
use crate::ui::{
    actions::ActionsSection, backups::BackupsSection, chip::ChipSection, confirm::ConfirmDialog,
    device::DeviceSection, firmware::FirmwareSection, help::HelpSection, leave::guard_leaving,
    log::LogSection, progress::ProgressSection, spi_entry::SpiModeBox, status_strip::StatusStrip,
};
use crate::view_choice::{self, View, ViewBar};

const TICK_MS: u64 = 500;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let support = support::detect();
    let available = support == SerialSupport::Available;
    let session = Session::new();
    provide_context(session);
    guard_leaving(session);
    let _tick = set_interval_with_handle(
        move || session.tick.set(now_ms()),
        core::time::Duration::from_millis(TICK_MS),
    );
    let view = RwSignal::new(view_choice::initial());
    let guided = provide_guided(session, view);
    if let Some(choice) = handover::take_choice() {
        guided.resume(session, choice);
    }
    let switch = Callback::new(move |()| view_choice::choose(view, view.get_untracked().other()));
    view! {
        <ViewBar view=view on_switch=switch />
        <main class="page" hidden=move || view.get() != View::Expert>
            <header class="masthead">
                <h1>"bkflash"</h1>
                <p class="tagline">
                    "Back up and flash Beken BK72xx Wi-Fi chips (BK7231T, BK7231N, …) from your browser. Nothing to install."
                </p>
            </header>
            <StatusStrip />
            {(!available).then(|| view! { <UnsupportedNotice support=support /> })}
            <DeviceSection serial_available=available />
            <SpiModeBox />
            <ChipSection />
            <FirmwareSection />
            <ActionsSection />
            <ProgressSection />
            <InsideSection />
            <BackupsSection />
            <LogSection />
            <LogsSection serial_available=available />
            <HelpSection />
        </main>
        <Show when=move || view.get() == View::Guided>
            <GuidedView />
        </Show>
        <ConfirmDialog />
    }
}
