//! Step 3: the firmware file. Dropped or picked, analysed at once: what it is, which chip, which
//! regions; a refusal sentence when it cannot be flashed; the chip check and write plan once linked.

use std::sync::Arc;

use bkflash_core::chips::ChipFamily;
use bkflash_core::flasher::ChipInfo;
use bkflash_core::image::{self, Firmware, Kind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{DragEvent, File, HtmlInputElement};

use crate::files;
use crate::inside;
use crate::session::{LoadedFile, Session};
use crate::ui::plan::{PlanView, keep_plan_fresh};
use crate::ui::remote::RemoteFirmware;

/// What each kind of file is, in the words of docs/formats.md §3.
static KIND_WORDS: [(Kind, &str); 4] = [
    (
        Kind::LibretinyUf2,
        "LibreTiny / ESPHome firmware package (UF2)",
    ),
    (
        Kind::BekenAppImage,
        "Beken app image (written at 0x11000, bootloader kept)",
    ),
    (
        Kind::BekenFlashImage,
        "Flash image from address 0 (OpenBeken QIO)",
    ),
    (Kind::BekenFullDump, "Full flash dump (a backup)"),
];

fn kind_words(kind: Kind) -> &'static str {
    KIND_WORDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, w)| w)
}

/// Analyse `bytes` as the firmware file `name`.
pub fn load(name: String, bytes: &[u8]) -> LoadedFile {
    LoadedFile::new(
        name,
        bytes.len(),
        image::analyze(bytes).map_err(|r| r.message),
    )
}

async fn take_file(session: Session, file: File) {
    let loaded = match files::read_file(&file).await {
        Ok(bytes) => {
            let loaded = load(file.name(), &bytes);
            if matches!(&loaded.analysis, Ok(f) if f.kind == Kind::BekenFullDump) {
                inside::open(&loaded.name, &bytes);
            }
            loaded
        }
        Err(message) => LoadedFile::new(file.name(), 0, Err(message)),
    };
    session.file.set(Some(Arc::new(loaded)));
}

/// The sentence that stops this file from going to this chip, if any. `only_for` is the family a
/// manifest named for the file, which binds even when the file itself names no chip.
pub fn chip_refusal(
    firmware: &Firmware,
    only_for: Option<ChipFamily>,
    chip: &ChipInfo,
) -> Option<String> {
    if let Some(Err(refusal)) = chip
        .key
        .map(|key| image::check_key(firmware, chip.family, &key))
    {
        return Some(refusal.message);
    }
    if let Some(intended) = only_for
        && chip.family != Some(intended)
    {
        return Some(format!(
            "This build is for {} (the firmware list says so; the file itself names no chip), but the \
             chip is {}. Nothing will be written.",
            intended.name(),
            chip.family.map_or("of unknown type", ChipFamily::name)
        ));
    }
    let family = chip.family?;
    image::check_chip(firmware, family).err().map(|r| r.message)
}

/// What the file is and, once a chip is known, whether and how it will be written.
#[component]
pub fn Analysis(file: Arc<LoadedFile>) -> impl IntoView {
    let session = expect_context::<Session>();
    let header = format!("{} ({} bytes)", file.name, file.size);
    let body = match &file.analysis {
        Err(sentence) => view! { <p id="refusal" class="error" data-testid="refusal" role="alert">{sentence.clone()}</p> }.into_any(),
        Ok(firmware) => {
            let fw = firmware.clone();
            let only_for = file.only_for;
            let target = firmware.family.map_or("any Beken chip (the file does not say)", |f| f.name());
            let tags = firmware.tags.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view();
            let regions = firmware.regions.iter().map(|r| {
                let text = format!("0x{:06X}..0x{:06X} ({} bytes) sha256 {}", r.offset, r.offset as usize + r.data.len(), r.data.len(), image::sha256_hex(&r.data));
                view! { <li class="mono">{text}</li> }
            }).collect_view();
            let notes = firmware.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view();
            let per_chip = move || session.chip.get().map(|chip| match chip_refusal(&fw, only_for, &chip) {
                Some(sentence) => view! { <p id="chip-mismatch" class="error" role="alert">{sentence}</p> }.into_any(),
                None => view! { <PlanView /> }.into_any(),
            });
            view! {
                <dl id="file-facts" class="card">
                    <dt>"Kind"</dt><dd id="file-kind">{kind_words(firmware.kind)}</dd>
                    <dt>"Built for"</dt><dd id="file-chip">{target}</dd>
                    {tags}
                </dl>
                <p>"Regions written:"</p>
                <ul id="file-regions" class="regions">{regions}</ul>
                <ul class="notes">{notes}</ul>
                {per_chip}
            }.into_any()
        }
    };
    view! { <div id="file-analysis" data-testid="file-analysis"><p class="file-name">{header}</p>{body}</div> }
}

#[component]
pub fn FirmwareSection() -> impl IntoView {
    let session = expect_context::<Session>();
    keep_plan_fresh(session);
    let (hover, set_hover) = signal(false);
    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|list| list.get(0)) {
            spawn_local(take_file(session, file));
        }
        input.set_value("");
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        set_hover.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|list| list.get(0))
        {
            spawn_local(take_file(session, file));
        }
    };
    let on_over = move |ev: DragEvent| {
        ev.prevent_default();
        set_hover.set(true);
    };
    view! {
        <section class="panel" aria-labelledby="firmware-title">
            <h2 id="firmware-title">"3. Firmware"</h2>
            <div id="drop-zone" class=move || if hover.get() { "drop hover" } else { "drop" }
                on:drop=on_drop on:dragover=on_over on:dragleave=move |_| set_hover.set(false)>
                <p>"Drop a firmware file here (firmware.uf2, an OpenBeken QIO/UA image or a .rbl app image)"</p>
                <label for="firmware-file" class="button-like">"Choose file…"</label>
                <input id="firmware-file" type="file" class="visually-hidden" on:change=on_pick />
            </div>
            <RemoteFirmware />
            {move || session.file.get().map(|file| view! { <Analysis file=file /> })}
        </section>
    }
}
