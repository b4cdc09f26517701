//! Firmware named in the page's address: `?firmware=URL` is fetched and analysed like a dropped file;
//! `?manifest=URL` is fetched at once and its build for the chip is fetched once the chip is known.

use std::sync::Arc;

use bkflash_core::image::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::manifest::{self, ImageKind, Manifest, Source};
use crate::session::{LoadedFile, Session};
use crate::ui::firmware::load;

/// The file kind each manifest image kind must analyse as.
static IMAGE_KINDS: [(ImageKind, Kind); 3] = [
    (ImageKind::LibretinyUf2, Kind::LibretinyUf2),
    (ImageKind::OpenbekenUa, Kind::BekenAppImage),
    (ImageKind::OpenbekenQio, Kind::BekenFlashImage),
];

fn file_name(url: &str) -> String {
    url.rsplit('/')
        .next()
        .and_then(|n| n.split(['?', '#']).next())
        .filter(|n| !n.is_empty())
        .unwrap_or(url)
        .to_owned()
}

/// Fetch `url` and analyse it; when `image` is given, the file must be of that kind.
async fn fetch_file(
    session: Session,
    status: RwSignal<Option<String>>,
    url: String,
    image: Option<ImageKind>,
) {
    status.set(Some(format!("Downloading {}…", file_name(&url))));
    match manifest::fetch_bytes(&url).await {
        Ok(bytes) => {
            let mut loaded = load(file_name(&url), &bytes);
            let expected = image
                .and_then(|i| IMAGE_KINDS.iter().find(|(k, _)| *k == i))
                .map(|(_, kind)| *kind);
            if let (Some(kind), Ok(firmware)) = (expected, &loaded.analysis)
                && firmware.kind != kind
            {
                loaded = LoadedFile {
                    analysis: Err(format!(
                        "The manifest promises a {kind:?} file but {} is a {:?}; tell the firmware's publisher.",
                        loaded.name, firmware.kind
                    )),
                    ..loaded
                };
            }
            status.set(Some(format!("Firmware from {url}")));
            session.file.set(Some(Arc::new(loaded)));
        }
        Err(error) => status.set(Some(error.to_string())),
    }
}

#[component]
pub fn RemoteFirmware() -> impl IntoView {
    let session = expect_context::<Session>();
    let status = RwSignal::new(None::<String>);
    let manifest_signal = RwSignal::new(None::<(String, Manifest)>);
    match manifest::source_from_location() {
        Ok(Some(Source::Firmware(url))) => spawn_local(fetch_file(session, status, url, None)),
        Ok(Some(Source::Manifest(url))) => spawn_local(async move {
            status.set(Some(String::from("Downloading the firmware list…")));
            match manifest::fetch_manifest(&url).await {
                Ok(list) => {
                    status.set(Some(format!(
                        "{} {}: connect the chip and its build is picked for you.",
                        list.name, list.version
                    )));
                    manifest_signal.set(Some((url, list)));
                }
                Err(error) => status.set(Some(error.to_string())),
            }
        }),
        Ok(None) => {}
        Err(error) => status.set(Some(error.to_string())),
    }
    Effect::new(move |_| {
        let family = session.chip.with(|c| c.as_ref().and_then(|c| c.family));
        let Some(family) = family else { return };
        manifest_signal.with_untracked(|m| {
            let Some((url, list)) = m else { return };
            match list
                .pick(family)
                .map(|build| (manifest::resolve(&build.path, url), build.image))
            {
                Ok((Ok(file_url), image)) => {
                    spawn_local(fetch_file(session, status, file_url, Some(image)))
                }
                Ok((Err(error), _)) => status.set(Some(error.to_string())),
                Err(no_build) => status.set(Some(no_build.to_string())),
            }
        });
    });
    move || {
        status
            .get()
            .map(|text| view! { <p id="remote-status" class="note" role="status">{text}</p> })
    }
}
