//! Names of common USB-UART adapters by USB vendor and product id.
//! Only used to tell the user which port they picked; an unknown id is shown as plain hex.

struct KnownAdapter {
    vendor_id: u16,
    product_id: u16,
    name: &'static str,
}

#[rustfmt::skip]
static KNOWN_ADAPTERS: [KnownAdapter; 8] = [
    KnownAdapter { vendor_id: 0x1a86, product_id: 0x7523, name: "CH340" },
    KnownAdapter { vendor_id: 0x1a86, product_id: 0x55d4, name: "CH9102" },
    KnownAdapter { vendor_id: 0x10c4, product_id: 0xea60, name: "CP210x" },
    KnownAdapter { vendor_id: 0x0403, product_id: 0x6001, name: "FT232R" },
    KnownAdapter { vendor_id: 0x0403, product_id: 0x6010, name: "FT2232" },
    KnownAdapter { vendor_id: 0x0403, product_id: 0x6015, name: "FT231X" },
    KnownAdapter { vendor_id: 0x067b, product_id: 0x2303, name: "PL2303" },
    KnownAdapter { vendor_id: 0x067b, product_id: 0x23a3, name: "PL2303GC" },
];

/// "USB 1a86:7523 (CH340)", or "USB 1234:abcd" for an adapter not in the table,
/// or "a non-USB port" when the browser gives no ids (Bluetooth serial, built-in UART).
pub fn describe(vendor_id: Option<u16>, product_id: Option<u16>) -> String {
    let (Some(vendor_id), Some(product_id)) = (vendor_id, product_id) else {
        return String::from("a non-USB port");
    };
    let ids = format!("USB {vendor_id:04x}:{product_id:04x}");
    match KNOWN_ADAPTERS
        .iter()
        .find(|a| a.vendor_id == vendor_id && a.product_id == product_id)
    {
        Some(adapter) => format!("{ids} ({})", adapter.name),
        None => ids,
    }
}
