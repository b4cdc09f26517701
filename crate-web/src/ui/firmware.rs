//! Step 3: the firmware file. Dropped or picked, analysed at once: what it is, which chip, which
//! regions; a refusal sentence when it cannot be flashed; the chip check and write plan once linked.

use std::sync::Arc;

use bkflash_core::image::{self, Kind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use crate::files;
use crate::firmware::{LoadedFile, chip_refusal, kind_words, load};
use crate::inside;
use crate::session::Session;
use crate::ui::drop_zone::{DropZone, FileInput};
use crate::ui::plan::{PlanView, keep_plan_fresh};
use crate::ui::remote::RemoteFirmware;
use crate::words::{size_words, tag_value_words};

pub(crate) async fn take_file(session: Session, file: File) {
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

/// What the file is and, once a chip is known, whether and how it will be written.
#[component]
pub fn Analysis(file: Arc<LoadedFile>) -> impl IntoView {
    let session = expect_context::<Session>();
    let header = format!("{} ({})", file.name, size_words(file.size as u64));
    let body = match &file.analysis {
        Err(sentence) => view! { <p id="refusal" class="error" data-testid="refusal" role="alert">{sentence.clone()}</p> }.into_any(),
        Ok(firmware) => {
            let fw = firmware.clone();
            let only_for = file.only_for;
            let target = firmware.family.map_or("any Beken chip (the file does not say)", |f| f.name());
            let tags = firmware.tags.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{tag_value_words(k, v)}</dd> }).collect_view();
            let regions = firmware.regions.iter().map(|r| {
                let text = format!("0x{:06X}..0x{:06X} ({} bytes) sha256 {}", r.offset, r.offset as usize + r.data.len(), r.data.len(), image::sha256_hex(&r.data));
                view! { <li class="mono">{text}</li> }
            }).collect_view();
            let note_lines = firmware.notes.clone();
            let fw_for_notes = firmware.clone();
            // On a chip mismatch the key note ("suits … BK7231N modules") would read as a contradiction.
            let notes = move || {
                let mismatch = session.chip.get().is_some_and(|chip| chip_refusal(&fw_for_notes, only_for, &chip).is_some());
                (!mismatch).then(|| note_lines.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view())
            };
            let per_chip = move || session.chip.get().map(|chip| match chip_refusal(&fw, only_for, &chip) {
                Some(sentence) => view! { <p id="chip-mismatch" class="error" role="alert">{sentence}</p> }.into_any(),
                None => view! { <PlanView /> }.into_any(),
            });
            view! {
                <dl id="file-facts" class="card">
                    <dt>"Kind"</dt><dd id="file-kind">{kind_words(firmware.kind)}</dd>
                    <dt>"Built for"</dt><dd id="file-chip">{target}</dd>
                </dl>
                <details id="file-details"><summary>"Details: the file's tags, regions and checksums"</summary>
                    <dl id="file-tags" class="card">{tags}</dl>
                    <p>"Regions written:"</p>
                    <ul id="file-regions" class="regions">{regions}</ul>
                </details>
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
    let on_file = Callback::new(move |file| spawn_local(take_file(session, file)));
    view! {
        <section class="panel" aria-labelledby="firmware-title">
            <h2 id="firmware-title">"3. Firmware"</h2>
            <DropZone id="drop-zone" on_file=on_file>
                <p>"Drop a firmware file here (firmware.uf2, an OpenBeken QIO/UA image or a .rbl app image)"</p>
                <FileInput id="firmware-file" on_file=on_file />
                <label for="firmware-file" class="button-like">"Choose file…"</label>
            </DropZone>
            <RemoteFirmware />
            {move || session.file.get().map(|file| view! { <Analysis file=file /> })}
        </section>
    }
}
