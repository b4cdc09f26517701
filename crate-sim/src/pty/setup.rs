//! Turns the server's command-line options into the simulator's configuration.
//! Reading `--flash-in` happens here, so its errors name that option.

use std::prelude::rust_2024::*;

use super::options::ServeOptions;
use crate::{Sim, SimConfig, StartMode};

/// The simulator the options describe, faults included.
pub fn build_sim(options: &ServeOptions) -> Result<Sim, String> {
    let mut sim = Sim::new(sim_config(options)?).with_adapter(options.adapter);
    for fault in &options.faults {
        sim.add_fault(fault.clone());
    }
    Ok(sim)
}

/// The chip the options describe. A pty carries no modem lines, so the chip is wired to nothing
/// (unless `--wiring rts-cen` makes each open reset it) and starts in download mode, or (with
/// `--download-after`) runs its app until a "manual reset".
pub fn sim_config(options: &ServeOptions) -> Result<SimConfig, String> {
    let mut config = options
        .chip
        .config()
        .with_wiring(options.wiring)
        .with_app(options.app);
    config.log_chatty = options.chatty_log;
    if let Some(size) = options.flash_size {
        config = config.with_flash_size(size);
    }
    if let Some(path) = &options.flash_in {
        let image = std::fs::read(path)
            .map_err(|error| format!("--flash-in {}: cannot read it: {error}", path.display()))?;
        if image.len() > config.flash_size as usize {
            return Err(format!(
                "--flash-in {}: {} bytes do not fit a {:#x}-byte flash; pass a matching --flash-size",
                path.display(),
                image.len(),
                config.flash_size
            ));
        }
        config = config.with_flash_image(image);
    }
    if let Some(delay) = options.download_after {
        config = config.with_start(StartMode::ResetAfter(delay));
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pty::options::ChipPreset;
    use crate::{ChipClass, Wiring};
    use core::time::Duration;
    use std::path::PathBuf;

    fn options(chip: ChipPreset) -> ServeOptions {
        ServeOptions {
            chip,
            link: PathBuf::from("unused"),
            flash_size: None,
            flash_in: None,
            flash_out: None,
            realtime: false,
            download_after: None,
            faults: Vec::new(),
            wiring: Wiring::None,
            adapter: crate::Adapter::default(),
            serprog: None,
            log_link: None,
            app: crate::AppModel::Plain,
            chatty_log: false,
        }
    }

    #[test]
    fn presets_start_in_download_mode_with_no_lines() {
        let n = sim_config(&options(ChipPreset::BK7231N)).unwrap();
        assert_eq!(
            (n.class, n.start, n.wiring),
            (ChipClass::Rom, StartMode::Download, Wiring::None)
        );
        let t = sim_config(&options(ChipPreset::BK7231T)).unwrap();
        assert_eq!(t.class, ChipClass::Legacy);
    }

    #[test]
    fn size_image_and_manual_reset_are_applied() {
        let dir = std::env::temp_dir().join(format!("bkflash-setup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let image = dir.join("in.bin");
        std::fs::write(&image, [0xA5u8; 0x2000]).unwrap();
        let mut wanted = options(ChipPreset::BK7231N);
        wanted.flash_size = Some(0x40_0000);
        wanted.flash_in = Some(image.clone());
        wanted.download_after = Some(Duration::from_millis(300));
        let config = sim_config(&wanted).unwrap();
        assert_eq!(config.flash_size, 0x40_0000);
        assert_eq!(config.flash_image.as_deref(), Some(&[0xA5u8; 0x2000][..]));
        assert_eq!(
            config.start,
            StartMode::ResetAfter(Duration::from_millis(300))
        );

        wanted.flash_size = Some(0x1_0000);
        std::fs::write(&image, [0u8; 0x1_0001]).unwrap();
        assert!(sim_config(&wanted).unwrap_err().contains("--flash-in"));
        wanted.flash_in = Some(dir.join("missing.bin"));
        assert!(sim_config(&wanted).unwrap_err().contains("--flash-in"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
