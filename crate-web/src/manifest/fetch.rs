//! Downloads with `window.fetch`: the manifest as text, a firmware file as bytes.
//! Errors name the URL, and say "CORS" when another origin may simply not allow the read.

use std::fmt;

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Response, Url};

use super::format::{Manifest, ManifestError};

/// Why a download or a URL failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// `path` is not a URL, even relative to `base`.
    BadUrl { path: String, base: String },
    /// fetch() rejected: network down, server gone, or (other origin) no CORS permission.
    Network { url: String, cross_origin: bool },
    /// The server answered with an error status.
    Status { url: String, status: u16 },
    /// The body could not be read to the end.
    Body { url: String },
    /// The manifest arrived but is not valid.
    Manifest { url: String, error: ManifestError },
}

/// `path` resolved against `base` (the manifest URL, or the page URL), as the browser does for links.
pub fn resolve(path: &str, base: &str) -> Result<String, FetchError> {
    Url::new_with_base(path, base)
        .map(|url| url.href())
        .map_err(|_| FetchError::BadUrl {
            path: path.to_owned(),
            base: base.to_owned(),
        })
}

/// Download and parse a manifest; `url` must already be absolute (see `resolve`).
pub async fn fetch_manifest(url: &str) -> Result<Manifest, FetchError> {
    let bytes = fetch_bytes(url).await?;
    let text = String::from_utf8_lossy(&bytes);
    Manifest::parse(&text).map_err(|error| FetchError::Manifest {
        url: url.to_owned(),
        error,
    })
}

/// Download a whole file into memory; `url` must already be absolute (see `resolve`).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    let window = web_sys::window().expect("the page runs in a window");
    let network = || FetchError::Network {
        url: url.to_owned(),
        cross_origin: is_cross_origin(url),
    };
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| network())?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status {
            url: url.to_owned(),
            status: response.status(),
        });
    }
    let body = |_: JsValue| FetchError::Body {
        url: url.to_owned(),
    };
    let buffer = JsFuture::from(response.array_buffer().map_err(body)?)
        .await
        .map_err(body)?;
    Ok(Uint8Array::new(&buffer.unchecked_into::<ArrayBuffer>()).to_vec())
}

fn is_cross_origin(url: &str) -> bool {
    let page = web_sys::window().and_then(|w| w.location().origin().ok());
    let target = Url::new(url).ok().map(|u| u.origin());
    page.is_none() || target.is_none() || page != target
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadUrl { path, base } => {
                write!(
                    f,
                    "\"{path}\" is not a valid URL (relative to {base}); check the link"
                )
            }
            Self::Network {
                url,
                cross_origin: true,
            } => write!(
                f,
                "could not download {url}: the server is unreachable or does not allow this page \
                 to read it (CORS: it must send Access-Control-Allow-Origin). GitHub release assets \
                 never do; host the file on the same site as the manifest"
            ),
            Self::Network {
                url,
                cross_origin: false,
            } => write!(
                f,
                "could not download {url}: the server did not answer; check your connection and retry"
            ),
            Self::Status { url, status } => write!(
                f,
                "could not download {url}: the server answered HTTP {status}; check that the file exists"
            ),
            Self::Body { url } => {
                write!(
                    f,
                    "download of {url} stopped before the end; check your connection and retry"
                )
            }
            Self::Manifest { url, error } => write!(f, "{url}: {error}"),
        }
    }
}

impl std::error::Error for FetchError {}
