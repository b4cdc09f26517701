//! The guided flow: Start → Connect → Back up → Install → Finish, and the two failure screens, one
//! step card at a time. It drives the expert page's session and jobs; the screen follows from them.

mod backup;
mod connect;
mod error;
mod finish;
mod install;
mod meter;
mod report;
pub(crate) mod start;
mod steps;
mod words;

use core::time::Duration;

use leptos::prelude::*;

use crate::device::now_ms;
use crate::job::Job;
use crate::jobs::{self, Source};
use crate::session::{Outcome, Session};
use crate::ui::focus;
use crate::view_choice::{self, View};
use start::{StartChoice, StartScreen, primary_words};

/// One screen of the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Start,
    Connecting,
    /// The link failed or the port did not open.
    NoLink,
    Backup,
    BackingUp,
    Install,
    Installing,
    Finish,
    /// A backup or install stopped.
    Error,
}

/// What the flow remembers beyond the session.
#[derive(Clone, Copy)]
pub struct Guided {
    /// The last job this flow started: its outcome picks the screen after it.
    pub started: RwSignal<Option<Job>>,
    /// The last job that ran and ended (a Write the confirm dialog turned down never runs).
    pub ended: RwSignal<Option<Job>>,
    /// Show Start whatever the session holds (before the first Connect, after "Flash another device").
    pub at_start: RwSignal<bool>,
    /// The user pressed Cancel while linking: back to Start, not a failure.
    pub cancelled: RwSignal<bool>,
    /// The last Connect reached the link (its countdown ran), so a failure means a missed reset.
    pub reached_link: RwSignal<bool>,
    /// Where the last Connect got its port, for Try again.
    pub source: StoredValue<Option<Source>>,
    /// When the running job began (ms), for the elapsed time.
    pub job_started_ms: RwSignal<f64>,
    pub view: RwSignal<View>,
}

impl Guided {
    fn new(view: RwSignal<View>) -> Self {
        Self {
            started: RwSignal::new(None),
            ended: RwSignal::new(None),
            at_start: RwSignal::new(true),
            cancelled: RwSignal::new(false),
            reached_link: RwSignal::new(false),
            source: StoredValue::new(None),
            job_started_ms: RwSignal::new(0.0),
            view,
        }
    }

    /// Connect through `source`, as the expert page's Connect does.
    pub fn connect(self, session: Session, source: Source) {
        self.at_start.set(false);
        self.cancelled.set(false);
        self.reached_link.set(false);
        self.source.set_value(Some(source));
        self.started.set(Some(Job::Connect));
        jobs::connect(session, source);
    }

    /// Act on a button of Start.
    pub fn choose(self, session: Session, choice: StartChoice) {
        match choice {
            StartChoice::Serial => self.connect(session, Source::Serial),
            StartChoice::Virtual(chip) => self.connect(session, Source::Virtual(chip)),
            StartChoice::Expert(target) => self.open_expert(target),
        }
    }

    /// Carry out a choice the first-load Start screen handed over: its button is gone with it, so
    /// focus moves to the new step's heading (an expert target takes focus itself).
    pub fn resume(self, session: Session, choice: StartChoice) {
        self.choose(session, choice);
        if !matches!(choice, StartChoice::Expert(_)) {
            set_timeout(|| focus::bring(HEADING), Duration::ZERO);
        }
    }

    /// Remember that the flow started `job` (its handler runs it).
    pub fn mark(self, job: Job) {
        self.ended.set(None);
        self.started.set(Some(job));
    }

    /// Show the expert page and bring the element `id` into view.
    pub fn open_expert(self, id: &'static str) {
        view_choice::choose(self.view, View::Expert);
        set_timeout(move || focus::bring(id), Duration::ZERO);
    }

    fn screen(self, session: Session) -> Screen {
        match session.busy.get() {
            Some(Job::Connect) => return Screen::Connecting,
            Some(Job::Backup) => return Screen::BackingUp,
            Some(Job::Write) => return Screen::Installing,
            _ => {}
        }
        if self.at_start.get() {
            return Screen::Start;
        }
        let outcome = session.outcome.get();
        let failed = matches!(outcome, Some(Outcome::Failed(_)));
        let written = self.ended.get() == Some(Job::Write) && !failed;
        match self.started.get() {
            Some(Job::Connect) if failed && self.cancelled.get() => return Screen::Start,
            Some(Job::Connect) if failed => return Screen::NoLink,
            Some(Job::Backup | Job::Write) if failed => return Screen::Error,
            Some(Job::Write) if written => return Screen::Finish,
            Some(Job::Reboot) => return Screen::Finish,
            _ => {}
        }
        if session.chip.with(Option::is_none) {
            Screen::Start
        } else if session.link_backup().is_some() {
            Screen::Install
        } else {
            Screen::Backup
        }
    }
}

/// The id of every step's heading: focus moves there on each step change.
pub const HEADING: &str = "guided-heading";

/// The flow's own state, made once for the page (kept while the expert view shows), and the
/// effects that follow the session's jobs for it.
pub fn provide_guided(session: Session, view: RwSignal<View>) -> Guided {
    let guided = Guided::new(view);
    provide_context(guided);
    Effect::new(move |_| {
        if session.busy.get() == Some(Job::Connect) && session.link_deadline_ms.get().is_some() {
            guided.reached_link.set(true);
        }
    });
    Effect::new(move |before: Option<Option<Job>>| {
        let busy = session.busy.get();
        let before = before.flatten();
        if busy.is_some() && busy != before {
            guided.job_started_ms.set(now_ms());
        }
        // The background plan may start at once after a job: it is not the job that ended.
        if let Some(job) = before.filter(|job| busy != Some(*job) && !job.runs_in_background()) {
            guided.ended.set(Some(job));
        }
        busy
    });
    guided
}

/// The guided view, rendered only while it is the chosen view.
#[component]
pub fn GuidedView() -> impl IntoView {
    let session = expect_context::<Session>();
    let guided = expect_context::<Guided>();
    let screen = Memo::new(move |_| guided.screen(session));
    // Focus the new step's heading, never on the first render (the page just loaded).
    Effect::new(move |before: Option<Screen>| {
        let now = screen.get();
        if before.is_some_and(|b| b != now) {
            set_timeout(move || focus::bring(HEADING), Duration::ZERO);
        }
        now
    });
    view! {
        <main id="guided" class="guided">
            <Show when=move || screen.get() != Screen::Start>
                <h1 class="visually-hidden">"Put new firmware on a Tuya plug or bulb"</h1>
            </Show>
            <steps::StepBar screen=screen />
            {move || match screen.get() {
                Screen::Start => view! {
                    <StartScreen primary=Signal::derive(move || primary_words(session.manifest_name.get()))
                        backups=Signal::derive(move || session.backups.with(Vec::len))
                        on_choice=Callback::new(move |choice| guided.choose(session, choice)) />
                }.into_any(),
                Screen::Connecting => view! { <connect::ConnectingScreen /> }.into_any(),
                Screen::NoLink => view! { <connect::NoLinkScreen /> }.into_any(),
                Screen::Backup | Screen::BackingUp => view! { <backup::BackupScreen running={screen.get() == Screen::BackingUp} /> }.into_any(),
                Screen::Install => view! { <install::InstallScreen /> }.into_any(),
                Screen::Installing => view! { <install::InstallingScreen /> }.into_any(),
                Screen::Finish => view! { <finish::FinishScreen /> }.into_any(),
                Screen::Error => view! { <error::ErrorScreen /> }.into_any(),
            }}
        </main>
    }
}
