//! Firmware manifests: a project's list of builds per chip family, fetched by `?manifest=URL`.
//! Parsing and picking are pure (host-tested); `fetch` and `query` are the browser edges (window.fetch,
//! location, URL resolution) and exist only on wasm.
//!
//! # Format (version 1)
//!
//! ```json
//! {
//!   "manifest_version": 1,
//!   "name": "OpenBeken",
//!   "version": "1.18.50",
//!   "builds": [
//!     { "chip": "BK7231N", "image": "openbeken-qio", "path": "OpenBK7231N_QIO_1.18.50.bin" },
//!     { "chip": "BK7231T", "image": "openbeken-ua",  "path": "OpenBK7231T_UA_1.18.50.bin" },
//!     { "chip": "BK7238",  "image": "libretiny-uf2", "path": "https://mirror.example/lt-bk7238.uf2" }
//!   ]
//! }
//! ```
//!
//! - `manifest_version`: must be `1`.
//! - `name`, `version`: shown to the user ("Install OpenBeken 1.18.50"); non-empty.
//! - `builds`: at least one; each chip family at most once. `chip` is a family name as bkflash
//!   knows it (BK7231T, BK7231U, BK7231Q, BK7231N, BK7231M, BK7238, BK7252, BK7252N; any case).
//!   `image` is `libretiny-uf2`, `openbeken-ua` or `openbeken-qio`. `path` is resolved against the
//!   manifest's own URL, so a relative path works wherever the manifest is hosted.
//! - Unknown fields are errors, so a typo never silently drops a build.
//!
//! Files are downloaded by the page with `fetch`, only from http(s) URLs, at most 16 MiB (the
//! largest flash), and given up when nothing arrives for 30 s. Same origin, or an origin that sends
//! `Access-Control-Allow-Origin`. GitHub release assets redirect to a storage host that sends no
//! such header, so a browser cannot read them; mirror the files onto the Pages site in CI instead.

#[cfg(target_arch = "wasm32")]
mod fetch;
mod fields;
mod format;
#[cfg(target_arch = "wasm32")]
mod query;

#[cfg(target_arch = "wasm32")]
pub use fetch::{
    FetchError, MAX_DOWNLOAD_BYTES, STALL_TIMEOUT_MS, check_scheme, fetch_bytes, fetch_manifest,
    resolve,
};
pub use format::{Build, ImageKind, Manifest, ManifestError, NoBuild};
#[cfg(target_arch = "wasm32")]
pub use query::{Source, source_from_location, source_from_url};
