//! What the page was asked to install: `?manifest=URL` or `?firmware=URL` in its own address.
//! Both URLs may be relative; they are resolved against the page, as a link would be.

use web_sys::UrlSearchParams;

use super::fetch::{FetchError, resolve};

/// Where the firmware comes from, with absolute URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A manifest: pick the build for the detected chip.
    Manifest(String),
    /// One file, for whatever chip is connected (the page still checks it fits).
    Firmware(String),
}

/// The source named in `page_url`'s query, `Ok(None)` when there is none.
/// `manifest` wins when both are given, because it carries the chip check.
pub fn source_from_url(page_url: &str) -> Result<Option<Source>, FetchError> {
    let search = web_sys::Url::new(page_url)
        .map(|u| u.search())
        .map_err(|_| FetchError::BadUrl {
            path: page_url.to_owned(),
            base: String::new(),
        })?;
    let params = UrlSearchParams::new_with_str(&search).expect("a URL's search string parses");
    let non_empty = |key: &str| params.get(key).filter(|v| !v.trim().is_empty());
    if let Some(path) = non_empty("manifest") {
        return resolve(&path, page_url).map(|url| Some(Source::Manifest(url)));
    }
    if let Some(path) = non_empty("firmware") {
        return resolve(&path, page_url).map(|url| Some(Source::Firmware(url)));
    }
    Ok(None)
}

/// The source named in the page's own address (`window.location`).
pub fn source_from_location() -> Result<Option<Source>, FetchError> {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .expect("the page runs in a window with a location");
    source_from_url(&href)
}
