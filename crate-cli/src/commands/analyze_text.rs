//! The readable form of an analysis report: the partition map as a table, the storage, the pins
//! with their OpenBeken roles, the key classification and the notes.

use bkflash_core::analyze::report::{InputKind, Report};

fn input_name(kind: InputKind) -> &'static str {
    match kind {
        InputKind::FullFlash => "flash image from address 0",
        InputKind::RotatedFullFlash => {
            "full dump rotated by 0x11000 (read from 0x11000 and wrapped)"
        }
        InputKind::StorageOnly => "Tuya KV storage only",
        InputKind::Erased => "erased flash",
        InputKind::ConfigText => "device configuration text",
        InputKind::Unrecognised => "not recognised",
    }
}

fn list(label: &str, items: &[String]) {
    if !items.is_empty() {
        println!("  {label}: {}", items.join(", "));
    }
}

pub fn print(name: &str, report: &Report) {
    println!(
        "{name} ({} bytes): {}",
        report.size,
        input_name(report.input)
    );
    if let Some(chip) = &report.chip {
        println!("  chip           {} ({})", chip.name, chip.evidence);
    }
    if !report.partitions.is_empty() {
        println!("partitions:");
    }
    for p in &report.partitions {
        println!(
            "  0x{:06X} +0x{:06X}  {:<26} {}",
            p.offset, p.size, p.title, p.found_by
        );
        for d in &p.details {
            println!("  {:22}{}: {}", "", d.label, d.value);
        }
    }
    if let Some(storage) = &report.storage {
        let count = |status: &str| {
            storage
                .sectors
                .iter()
                .filter(|s| s.status == status)
                .count()
        };
        println!(
            "storage: key sector 0x{:06X}, {} keys; sectors: {} current, {} older copies, {} erased, {} damaged or foreign",
            storage.key_sector,
            storage.keys.len(),
            count("current"),
            count("replaced"),
            count("erased"),
            count("skipped")
        );
        for key in &storage.keys {
            let mut flags = Vec::new();
            if key.secret {
                flags.push("secret");
            }
            if !key.sum_ok {
                flags.push("value sum mismatch");
            }
            if !key.bk7231tools_sees {
                flags.push("beyond bk7231tools' window");
            }
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(" ({})", flags.join(", "))
            };
            println!(
                "  {:<20} block {:>2} {:>6} bytes{flags}",
                key.name, key.block, key.length
            );
        }
        for problem in &storage.problems {
            println!("  problem: {problem}");
        }
    }
    if let Some(device) = &report.device {
        println!(
            "device: {} (config from {})",
            device.module.as_deref().unwrap_or("module unknown"),
            device.origin
        );
        for pin in &device.pins {
            let gpio = pin
                .gpio
                .map_or_else(|| String::from("P?"), |g| format!("P{g}"));
            let active = pin
                .active
                .map(|a| format!(", active {a}"))
                .unwrap_or_default();
            let role = pin
                .openbeken
                .as_deref()
                .map(|r| format!("  OpenBeken {r}"))
                .unwrap_or_default();
            println!("  {gpio:<4} {:<16} {}{active}{role}", pin.key, pin.function);
        }
        if let Some(baud) = &device.tuya_mcu_baud {
            println!("  TuyaMCU on UART1, baud {baud}");
        }
        list("mapped keys", &device.mapped_keys);
        list("known, not converted", &device.informational_keys);
        list("unknown keys (shown, not guessed)", &device.unknown_keys);
    }
    if let Some(template) = &report.openbeken {
        println!(
            "OpenBeken template: {}",
            serde_json::to_string(&template.json["pins"]).unwrap_or_default()
        );
        if let Some(command) = template.json["command"].as_str().filter(|c| !c.is_empty()) {
            println!("  command: {command}");
        }
        for note in &template.notes {
            println!("  note: {note}");
        }
    }
    if let Some(esphome) = &report.esphome {
        match &esphome.error {
            Some(error) => println!("ESPHome: none ({error})"),
            None => println!(
                "ESPHome: board {} (write it with --esphome FILE)",
                esphome.board
            ),
        }
        for warning in &esphome.warnings {
            println!("  note: {warning}");
        }
    }
    for note in &report.notes {
        println!("note: {note}");
    }
}
