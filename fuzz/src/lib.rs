//! Helpers shared by the bkflash fuzz targets: input repair that gets random bytes past magics and
//! checksums, and the invariants every accepted firmware file must satisfy.

pub mod beken_repair;
pub mod kv_image;
pub mod regions;
pub mod uf2_repair;
