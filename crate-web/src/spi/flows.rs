//! The SPI recovery jobs, as `bkflash spi info|read|write|verify` runs them: open the programmer (and
//! the CEN adapter), enter SPI mode and identify; back up; check, plan and write a whole-flash image; verify.

use bkflash_core::flasher::SectorState;
use bkflash_core::spi::{SpiFlasher, SpiOptions, check_whole_flash_image};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::port::ProgrammerPort;
use super::save;
use super::sink::SpiSink;
use super::state::{Bench, Outcome, PickedImage, SpiState};
use crate::backups::picker::SaveChoice;
use crate::device::{VirtualChip, open_virtual_port};
use crate::serial::{PortInfo, WebSerialTransport, pick_port};

/// Baud of the programmer's port: USB CDC firmwares ignore it; frser-duino on an 8U2 needs 115200.
const PROGRAMMER_BAUD: u32 = 115_200;

/// The virtual device's serprog bench (www/device/worker.js).
static VIRTUAL_PROGRAMMER: VirtualChip = VirtualChip {
    id: "serprog",
    label: "pico-serprog with a BK7231T whose bootloader is damaged",
    manual_reset_only: false,
};

/// Where the programmer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A serprog programmer from the browser's chooser; `cen` also asks for the CEN adapter.
    Serial {
        cen: bool,
    },
    Virtual,
}

/// What an error leaves, with the flash state when a write was under way.
fn failed(error: &bkflash_core::error::Error) -> Outcome {
    Outcome::Failed(error.render().trim_end().to_owned())
}

async fn open_serial(what: &str) -> Result<(ProgrammerPort, String), String> {
    let port = pick_port()
        .await
        .map_err(|e| format!("Choosing {what} failed: {e}"))?;
    let label = PortInfo::of(&port).to_string();
    let transport = WebSerialTransport::open(port, PROGRAMMER_BAUD)
        .await
        .map_err(|e| e.to_string())?;
    Ok((
        ProgrammerPort::new(transport.into(), PROGRAMMER_BAUD),
        label,
    ))
}

async fn open(source: Source) -> Result<(ProgrammerPort, Option<ProgrammerPort>, String), String> {
    match source {
        Source::Virtual => {
            let port = open_virtual_port(VIRTUAL_PROGRAMMER.id).await?;
            let transport = WebSerialTransport::open(port, PROGRAMMER_BAUD)
                .await
                .map_err(|e| e.to_string())?;
            let label = format!("Virtual programmer: {}", VIRTUAL_PROGRAMMER.label);
            Ok((
                ProgrammerPort::new(transport.into(), PROGRAMMER_BAUD),
                None,
                label,
            ))
        }
        Source::Serial { cen } => {
            let (programmer, label) = open_serial("the programmer").await?;
            if !cen {
                return Ok((programmer, None, format!("Programmer: {label}")));
            }
            match open_serial("the CEN adapter").await {
                Ok((adapter, cen_label)) => Ok((
                    programmer,
                    Some(adapter),
                    format!("Programmer: {label}; CEN through RTS of {cen_label}"),
                )),
                Err(why) => {
                    programmer.close().await;
                    Err(why)
                }
            }
        }
    }
}

/// Give the ports back, so Connect can open them again.
async fn close(bench: Bench) {
    let (programmer, cen) = bench.into_parts();
    programmer.close().await;
    if let Some(cen) = cen {
        cen.close().await;
    }
}

/// Open the programmer, get the chip into SPI mode and identify its flash.
pub fn connect(state: SpiState, source: Source) {
    if !state.begin("connect") {
        return;
    }
    spawn_local(async move {
        if let Some(old) = state.bench.try_update_value(Option::take).flatten() {
            close(old).await;
        }
        state.chip.set(None);
        state.line.set(None);
        state.current.set_value(None);
        state.backup_name.set(None);
        let (programmer, cen, label) = match open(source).await {
            Ok(opened) => opened,
            Err(why) => return state.finish(Outcome::Failed(why)),
        };
        state.port_label.set(Some(label));
        let options = SpiOptions {
            cancel: state.cancel.get_value(),
            ..SpiOptions::default()
        };
        let mut bench = SpiFlasher::new(programmer, cen, options);
        match bench.connect(&mut SpiSink::new(state)).await {
            Ok(chip) => {
                let text = format!(
                    "In SPI flashing mode: {}, {}.",
                    chip.part_name(),
                    chip.entry.describe()
                );
                state.chip.set(Some(chip));
                state.bench.set_value(Some(bench));
                state.finish(Outcome::Done(text));
            }
            Err(error) => {
                close(bench).await;
                state.port_label.set(None);
                state.finish(failed(&error));
            }
        }
    });
}

/// Run `job` on the connected bench; it comes back for the next job unless the port went away.
fn run<J>(state: SpiState, name: &'static str, job: J)
where
    J: AsyncFnOnce(&mut Bench, &mut SpiSink) -> Outcome + 'static,
{
    if state.busy.get_untracked().is_some() {
        return;
    }
    let Some(mut bench) = state.bench.try_update_value(Option::take).flatten() else {
        state.outcome.set(Some(Outcome::Failed(String::from(
            "Connect the programmer first.",
        ))));
        return;
    };
    state.begin(name);
    spawn_local(async move {
        let mut sink = SpiSink::new(state);
        let outcome = job(&mut bench, &mut sink).await;
        state.bench.set_value(Some(bench));
        state.finish(outcome);
    });
}

/// `bkflash-backup-bk72xx-<jedec>-<date>.bin`: SPI cannot ask the chip its family.
pub fn backup_name(jedec: [u8; 3]) -> String {
    format!(
        "bkflash-backup-bk72xx-{:02x}{:02x}{:02x}-{}.bin",
        jedec[0],
        jedec[1],
        jedec[2],
        crate::files::timestamp(&js_sys::Date::new_0())
    )
}

/// Read the whole flash (every chunk twice) and keep it; `choice` was opened in the click.
pub fn backup(state: SpiState, choice: SaveChoice) {
    let name = choice.name.clone();
    run(state, "backup", async move |bench, sink| {
        let dump = match bench.backup(sink).await {
            Ok(dump) => dump,
            Err(error) => return failed(&error),
        };
        state.note.set(Some(format!("Saving the backup {name}…")));
        match save::keep(choice, &dump).await {
            Ok(text) => {
                state.current.set_value(Some(dump));
                state.backup_name.set(Some(name));
                replan(state, bench, sink).await;
                Outcome::Done(text)
            }
            Err(why) => Outcome::Failed(why),
        }
    });
}

/// Check a picked file: only a whole-flash image of this flash's size is accepted.
pub fn pick(state: SpiState, name: String, bytes: Vec<u8>) {
    let size = state
        .chip
        .with_untracked(|c| c.as_ref().map(|c| c.flash_size));
    state.image.set(None);
    if let Err(error) = check_whole_flash_image(&bytes, size) {
        let why = error.detail.clone().unwrap_or_default();
        state.outcome.set(Some(Outcome::Failed(format!(
            "{name} cannot be written over SPI: {why}.\n{}\nWhat to do: {}",
            error.cause(),
            error.remedy()
        ))));
        return;
    }
    state.image.set(Some(PickedImage {
        name,
        bytes,
        plan: None,
    }));
    state.outcome.set(None);
    if state.current.with_value(Option::is_some) {
        run(state, "plan", async move |bench, sink| {
            replan(state, bench, sink).await;
            Outcome::Done(String::from(
                "The image is a whole-flash image of this flash. Check the plan, then press Write.",
            ))
        });
    }
}

/// Work out what writing the picked image changes, against the flash as last read or written.
async fn replan(state: SpiState, bench: &mut Bench, sink: &mut SpiSink) {
    let Some(image) = state.image.get_untracked() else {
        return;
    };
    let Some(current) = state.current.get_value() else {
        return;
    };
    let plan = match bench.plan(&image.bytes, &current, sink).await {
        Ok(plan) => plan.summary(),
        Err(error) => error.render(),
    };
    state.image.update(|picked| {
        if let Some(picked) = picked {
            picked.plan = Some(plan);
        }
    });
}

/// Write the picked image (unprotect, erase, program, read back every sector, verify it all).
pub fn write(state: SpiState) {
    let Some(image) = state.image.get_untracked() else {
        return;
    };
    let Some(current) = state.current.get_value() else {
        state.outcome.set(Some(Outcome::Failed(String::from(
            "Back up the flash first: the backup is your way back, and it tells the write which sectors already match. Nothing was written to the chip.",
        ))));
        return;
    };
    run(state, "write", async move |bench, sink| {
        match bench.write(&image.bytes, Some(&current), sink).await {
            Ok(report) => {
                state.current.set_value(Some(image.bytes.clone()));
                replan(state, bench, sink).await;
                Outcome::Done(format!(
                    "Wrote {}: {} sectors written and read back, then the whole flash verified. Power-cycle the chip (or press Leave SPI mode with a CEN adapter) to boot it.",
                    image.name,
                    report.count(SectorState::Written)
                ))
            }
            Err(error) => failed(&error),
        }
    });
}

/// Compare the flash with the picked image, or with the backup when no image is picked.
pub fn verify(state: SpiState) {
    let target = state
        .image
        .get_untracked()
        .map(|image| (image.name, image.bytes))
        .or_else(|| {
            let name = state.backup_name.get_untracked()?;
            Some((name, state.current.get_value()?))
        });
    let Some((name, bytes)) = target else {
        state.outcome.set(Some(Outcome::Failed(String::from(
            "Pick an image or take a backup first: verify compares the flash with one of them.",
        ))));
        return;
    };
    run(state, "verify", async move |bench, sink| {
        match bench.verify(&bytes, sink).await {
            Ok(differing) if differing.is_empty() => {
                Outcome::Done(format!("Verified: the whole flash equals {name}."))
            }
            Ok(differing) => Outcome::Failed(format!(
                "The flash differs from {name} in {} sectors (first at 0x{:06X}). Nothing was written.",
                differing.len(),
                differing[0]
            )),
            Err(error) => failed(&error),
        }
    });
}

/// Let go of the chip: pins off, then a CEN pulse when an adapter is wired.
pub fn leave(state: SpiState) {
    run(state, "leave", async move |bench, sink| {
        match bench.leave(sink).await {
            Ok(true) => {
                state.chip.set(None);
                Outcome::Done(String::from(
                    "CEN reset: the chip left SPI mode and boots its firmware now.",
                ))
            }
            Ok(false) => {
                state.chip.set(None);
                Outcome::Done(String::from(
                    "The programmer let go of the pins. Power-cycle the chip (or touch CEN to GND) to leave SPI flashing mode and boot it.",
                ))
            }
            Err(error) => failed(&error),
        }
    });
}
