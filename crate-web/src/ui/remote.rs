//! Firmware named in the page's address: `?firmware=URL` is fetched and analysed like a dropped file;
//! `?manifest=URL` is fetched at once, and the build for the linked chip is chosen once both the chip
//! and the manifest are known, fetched once per chip, and dropped (with a message) when the chip
//! changes, has no build, or the download fails. A late download for an earlier chip is thrown away.

use std::sync::Arc;

use bkflash_core::chips::ChipFamily;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::firmware::{LoadedFile, load, promised_kind_refusal};
use crate::manifest::{self, Build, ImageKind, Manifest, Source};
use crate::session::Session;

fn file_name(url: &str) -> String {
    url.rsplit('/')
        .next()
        .and_then(|n| n.split(['?', '#']).next())
        .filter(|n| !n.is_empty())
        .unwrap_or(url)
        .to_owned()
}

/// Fetch `url` and analyse it; when `image` is given, the file must be of that kind.
async fn fetch_file(url: &str, image: Option<ImageKind>) -> Result<LoadedFile, String> {
    let bytes = manifest::fetch_bytes(url)
        .await
        .map_err(|e| e.to_string())?;
    let mut loaded = load(file_name(url), &bytes);
    if let Some(refusal) = image.and_then(|image| promised_kind_refusal(&loaded, image)) {
        loaded.analysis = Err(refusal);
    }
    Ok(loaded)
}

/// The manifest and what the page did with it.
#[derive(Clone, Copy)]
struct ManifestFlow {
    session: Session,
    status: RwSignal<Option<String>>,
    manifest: RwSignal<Option<(String, Manifest)>>,
    /// The chip family whose build is (or is being) loaded.
    chosen_for: StoredValue<Option<ChipFamily>>,
    /// Bumped for every build download; a download that finds it changed is stale.
    generation: StoredValue<u64>,
}

impl ManifestFlow {
    /// Drop a file that came from the manifest (a file the user chose stays), saying why.
    fn drop_build(&self, why: String) {
        let from_manifest = self
            .session
            .file
            .with_untracked(|f| f.as_ref().is_some_and(|f| f.only_for.is_some()));
        if from_manifest {
            self.session.file.set(None);
        }
        self.chosen_for.set_value(None);
        self.status.set(Some(why));
    }

    /// The linked chip is `family` (`None`: linked but of unknown type); choose its build.
    fn choose(&self, family: Option<ChipFamily>, url: &str, list: &Manifest) {
        let Some(family) = family else {
            self.generation.update_value(|g| *g += 1);
            return self.drop_build(format!(
                "bkflash could not tell which chip this is, so no build of {} {} was chosen. Choose a file yourself.",
                list.name, list.version
            ));
        };
        if self.chosen_for.get_value() == Some(family) {
            return;
        }
        let user_file = self
            .session
            .file
            .with_untracked(|f| f.as_ref().is_some_and(|f| f.only_for.is_none()));
        if user_file {
            return;
        }
        self.generation.update_value(|g| *g += 1);
        let build = match list.pick(family) {
            Ok(build) => build.clone(),
            Err(no_build) => return self.drop_build(no_build.to_string()),
        };
        let changed = self.chosen_for.get_value().map(|previous| {
            format!(
                "The chip is now a {} (it was a {}): that chip's build was dropped. ",
                family.name(),
                previous.name()
            )
        });
        if let Some(why) = &changed {
            self.drop_build(why.clone());
        }
        self.chosen_for.set_value(Some(family));
        match manifest::resolve(&build.path, url) {
            Ok(file_url) => self.download(family, file_url, build, changed.unwrap_or_default()),
            Err(error) => self.drop_build(error.to_string()),
        }
    }

    /// Fetch `build` for `family`; `before` is what the status said had happened first.
    fn download(self, family: ChipFamily, url: String, build: Build, before: String) {
        let generation = self.generation.get_value();
        self.status.set(Some(format!(
            "{before}Downloading the {} build {}…",
            family.name(),
            file_name(&url)
        )));
        spawn_local(async move {
            let result = fetch_file(&url, Some(build.image)).await;
            let linked = self
                .session
                .chip
                .with_untracked(|c| c.as_ref().and_then(|c| c.family));
            if self.generation.get_value() != generation || linked != Some(family) {
                return;
            }
            match result {
                Ok(mut loaded) => {
                    loaded.only_for = Some(family);
                    self.status.set(Some(format!("Firmware from {url}")));
                    self.session.file.set(Some(Arc::new(loaded)));
                }
                Err(why) => self.drop_build(format!(
                    "The {} build could not be loaded: {why}. Nothing will be written.",
                    family.name()
                )),
            }
        });
    }
}

#[component]
pub fn RemoteFirmware() -> impl IntoView {
    let session = expect_context::<Session>();
    let flow = ManifestFlow {
        session,
        status: RwSignal::new(None),
        manifest: RwSignal::new(None),
        chosen_for: StoredValue::new(None),
        generation: StoredValue::new(0),
    };
    let status = flow.status;
    match manifest::source_from_location() {
        Ok(Some(Source::Firmware(url))) => spawn_local(async move {
            status.set(Some(format!("Downloading {}…", file_name(&url))));
            match fetch_file(&url, None).await {
                Ok(loaded) => {
                    status.set(Some(format!("Firmware from {url}")));
                    session.file.set(Some(Arc::new(loaded)));
                }
                Err(why) => status.set(Some(why)),
            }
        }),
        Ok(Some(Source::Manifest(url))) => spawn_local(async move {
            status.set(Some(String::from("Downloading the firmware list…")));
            match manifest::fetch_manifest(&url).await {
                Ok(list) => {
                    status.set(Some(format!(
                        "{} {}: connect the chip and its build is picked for you.",
                        list.name, list.version
                    )));
                    session
                        .manifest_name
                        .set(Some(format!("{} {}", list.name, list.version)));
                    flow.manifest.set(Some((url, list)));
                }
                Err(error) => status.set(Some(error.to_string())),
            }
        }),
        Ok(None) => {}
        Err(error) => status.set(Some(error.to_string())),
    }
    // Runs when the manifest arrives and whenever the chip changes, in either order.
    Effect::new(move |_| {
        let linked = session.chip.with(|c| c.as_ref().map(|c| c.family));
        flow.manifest.with(|m| {
            if let (Some((url, list)), Some(family)) = (m, linked) {
                flow.choose(family, url, list);
            }
        });
    });
    move || {
        status
            .get()
            .map(|text| view! { <p id="remote-status" class="note" role="status">{text}</p> })
    }
}
