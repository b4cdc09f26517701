//! Which serial port to use when `--port` is not given: the only USB adapter present.
//! USB-UART adapters appear as /dev/ttyUSB* (CH340, CP210x, FTDI) or /dev/ttyACM* (CDC).

use std::path::{Path, PathBuf};

/// Device-name prefixes of USB serial adapters under /dev.
static ADAPTER_PREFIXES: &[&str] = &["ttyUSB", "ttyACM"];

/// The port to open: `--port` if given, else the only adapter in /dev.
pub fn choose_port(given: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = given {
        return Ok(path.to_path_buf());
    }
    let names: Vec<String> = std::fs::read_dir("/dev")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    pick_adapter(&names).map(|name| Path::new("/dev").join(name))
}

/// The single adapter among `/dev` entry names, or an error that lists what exists.
pub fn pick_adapter(dev_names: &[String]) -> Result<String, String> {
    let mut adapters: Vec<&String> = dev_names
        .iter()
        .filter(|name| ADAPTER_PREFIXES.iter().any(|p| name.starts_with(p)))
        .collect();
    adapters.sort();
    match adapters.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err(String::from(
            "choosing the serial port: no /dev/ttyUSB* or /dev/ttyACM* exists; plug in the USB-UART adapter or give --port PATH",
        )),
        many => {
            let list: Vec<String> = many.iter().map(|name| format!("/dev/{name}")).collect();
            Err(format!(
                "choosing the serial port: several adapters are present ({}); pick one with --port PATH",
                list.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_only_adapter_is_chosen() {
        assert_eq!(
            pick_adapter(&names(&["tty0", "ttyS0", "ttyUSB0", "null"])),
            Ok(String::from("ttyUSB0"))
        );
        assert_eq!(
            pick_adapter(&names(&["ttyACM3"])),
            Ok(String::from("ttyACM3"))
        );
    }

    #[test]
    fn none_or_several_adapters_give_a_listing_error() {
        assert!(
            pick_adapter(&names(&["ttyS0"]))
                .unwrap_err()
                .contains("no /dev/ttyUSB*")
        );
        let error = pick_adapter(&names(&["ttyUSB1", "ttyACM0", "ttyUSB0"])).unwrap_err();
        assert!(
            error.contains("(/dev/ttyACM0, /dev/ttyUSB0, /dev/ttyUSB1)")
                && error.contains("--port"),
            "{error}"
        );
    }

    #[test]
    fn an_explicit_port_wins() {
        assert_eq!(
            choose_port(Some(Path::new("/tmp/sim"))),
            Ok(PathBuf::from("/tmp/sim"))
        );
    }
}
