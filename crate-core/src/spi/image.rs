//! Which files an SPI write accepts: only an image of the whole flash in its raw on-flash form
//! (docs/spi-unbrick.md §6), because it replaces the bootloader too. Everything else is refused with why.

use alloc::format;
use alloc::string::String;

use crate::error::{Error, ErrorKind};
use crate::image::beken::{CRC_BLOCK, crc_block_ok};
use crate::image::uf2::looks_like_uf2;

/// Smallest and largest whole-flash image (the flash sizes BK72xx boards carry).
const IMAGE_SIZES: core::ops::RangeInclusive<usize> = 0x4_0000..=0x100_0000;

/// Check `image` against the rules; `flash_size` is the connected flash's size, when known yet.
pub fn check_whole_flash_image(image: &[u8], flash_size: Option<u32>) -> Result<(), Error> {
    let refuse = |why: String| Err(Error::new(ErrorKind::NotWholeFlashImage).detail(why));
    if looks_like_uf2(image) {
        return refuse(String::from(
            "it is a UF2 firmware package, which holds the app only; write it over UART with `bkflash write` once the bootloader is back",
        ));
    }
    match flash_size {
        Some(size) if image.len() != size as usize => {
            return refuse(format!(
                "it is {} bytes but the flash is {size} bytes (0x{size:X}); an image from address 0 that is shorter (an OpenBeken QIO image) or longer does not replace the whole flash",
                image.len()
            ));
        }
        None if !image.len().is_power_of_two() || !IMAGE_SIZES.contains(&image.len()) => {
            return refuse(format!(
                "it is {} bytes, not a flash size (a power of two from 256 KiB to 16 MiB)",
                image.len()
            ));
        }
        _ => {}
    }
    if !crc_block_ok(&image[..CRC_BLOCK]) {
        return refuse(String::from(
            "it does not start with a bootloader in raw on-flash form (34-byte blocks with a CRC16 each); a decrypted, unpacked or foreign dump would leave the chip unable to boot",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::beken::crc16;
    use alloc::vec;
    use alloc::vec::Vec;

    /// A flash image whose first block carries a valid CRC16, the rest 0xFF.
    fn image(size: usize) -> Vec<u8> {
        let mut bytes = vec![0xFF; size];
        bytes[..32].copy_from_slice(&[0x5A; 32]);
        let crc = crc16(&bytes[..32]).to_be_bytes();
        bytes[32..34].copy_from_slice(&crc);
        bytes
    }

    #[test]
    fn a_whole_raw_image_of_the_flash_size_is_accepted() {
        assert!(check_whole_flash_image(&image(0x20_0000), Some(0x20_0000)).is_ok());
        assert!(check_whole_flash_image(&image(0x40_0000), None).is_ok());
    }

    #[test]
    fn other_files_are_refused_with_the_reason() {
        let short = check_whole_flash_image(&image(0x1_1000), Some(0x20_0000)).unwrap_err();
        assert_eq!(short.kind, ErrorKind::NotWholeFlashImage);
        assert!(
            short
                .detail
                .unwrap()
                .contains("69632 bytes but the flash is 2097152")
        );
        let odd = check_whole_flash_image(&image(0x30_0000), None).unwrap_err();
        assert!(odd.detail.unwrap().contains("not a flash size"));
        let mut plain = image(0x20_0000);
        plain[33] ^= 1;
        let plain = check_whole_flash_image(&plain, Some(0x20_0000)).unwrap_err();
        assert!(plain.detail.unwrap().contains("raw on-flash form"));
        let mut uf2 = image(0x20_0000);
        uf2[..8].copy_from_slice(b"UF2\nWQ]\x9E");
        uf2[508..512].copy_from_slice(&0x0AB1_6F30u32.to_le_bytes());
        let uf2 = check_whole_flash_image(&uf2, Some(0x20_0000)).unwrap_err();
        assert!(uf2.detail.unwrap().contains("UF2"));
    }
}
