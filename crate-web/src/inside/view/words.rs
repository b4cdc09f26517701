//! The panel's words for the report's codes (input kinds, where a config came from) and sizes in
//! KB and MB, as tables.

/// What the file is, per the report's `input`.
static INPUTS: [(&str, &str); 6] = [
    ("full_flash", "a whole flash image, from address 0"),
    (
        "rotated_full_flash",
        "a whole flash image read from 0x11000 and wrapped around (turned back for this view)",
    ),
    ("storage_only", "only the Tuya settings storage"),
    ("erased", "erased flash: every byte is 0xFF"),
    ("config_text", "a device configuration text"),
    (
        "unrecognised",
        "not recognised: neither a flash image, a Tuya storage nor a device configuration",
    ),
];

pub fn input(code: &str) -> &'static str {
    INPUTS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("not recognised", |(_, words)| words)
}

/// Where the device configuration was read, per the report's `origin`.
static ORIGINS: [(&str, &str); 3] = [
    ("storage", "from the Tuya settings storage"),
    (
        "app_code",
        "from the default copy inside the app (the storage has none)",
    ),
    ("input", "from the file itself"),
];

pub fn origin(code: &str) -> &'static str {
    ORIGINS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, words)| words)
}

/// `4 KB`, `68 KB`, `1.1 MB`, `2 MB` (1 KB = 1024 bytes); below 1 KB in bytes.
pub fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KB {
        format!("{} KB", (bytes + KB / 2) / KB)
    } else {
        format!("{bytes} bytes")
    }
}

/// `0x1EE000`
pub fn hex(offset: u32) -> String {
    format!("0x{offset:06X}")
}
