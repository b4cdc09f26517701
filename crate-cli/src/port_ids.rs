//! What a serial port is, for the hardware report: its USB vendor and product ids and names, read
//! from Linux sysfs. Other systems, ptys and built-in UARTs get a plain "no USB ids".

use std::path::{Path, PathBuf};

/// "/dev/ttyUSB0: USB 1a86:7523 (QinHeng Electronics, USB Serial)", or why there are no ids.
pub fn describe_port(port: &str) -> String {
    let device = std::fs::canonicalize(port).unwrap_or_else(|_| PathBuf::from(port));
    let shown = if device == Path::new(port) {
        port.to_owned()
    } else {
        format!("{port} ({})", device.display())
    };
    match device
        .file_name()
        .and_then(|name| usb_ids(&name.to_string_lossy()))
    {
        Some(ids) => format!("{shown}: {ids}"),
        None => format!("{shown}: no USB ids (not a USB adapter, or not on Linux)"),
    }
}

/// The USB device above `/sys/class/tty/<tty>`: the first parent folder with `idVendor`.
fn usb_ids(tty: &str) -> Option<String> {
    let mut dir =
        std::fs::canonicalize(Path::new("/sys/class/tty").join(tty).join("device")).ok()?;
    loop {
        let read = |file: &str| {
            std::fs::read_to_string(dir.join(file))
                .ok()
                .map(|text| text.trim().to_owned())
        };
        if let (Some(vendor), Some(product)) = (read("idVendor"), read("idProduct")) {
            let names: Vec<String> = [read("manufacturer"), read("product")]
                .into_iter()
                .flatten()
                .collect();
            let names = if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            };
            return Some(format!("USB {vendor}:{product}{names}"));
        }
        if !dir.pop() || dir == Path::new("/sys") {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pty_has_no_usb_ids_and_says_where_it_points() {
        let dir = std::env::temp_dir().join(format!("bkflash-port-ids-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("port");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        let text = describe_port(&link.to_string_lossy());
        assert_eq!(
            text,
            format!(
                "{} (/dev/null): no USB ids (not a USB adapter, or not on Linux)",
                link.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
