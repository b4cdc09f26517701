//! Downloads with `window.fetch`: the manifest as text, a firmware file as bytes. Only http(s) URLs,
//! at most the largest flash (16 MiB), and a download that stalls is given up with a message.
//! Errors name the URL, and say "CORS" when another origin may simply not allow the read.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestInit, Response, Url};

use super::format::{Manifest, ManifestError};

/// The largest file a page download may be: the biggest flash of any supported chip.
pub const MAX_DOWNLOAD_BYTES: usize = 16 * 1024 * 1024;
/// A download that receives nothing for this long is given up.
pub const STALL_TIMEOUT_MS: i32 = 30_000;
/// The only URL schemes followed.
const SCHEMES: [&str; 2] = ["https:", "http:"];

/// Why a download or a URL failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// `path` is not a URL, even relative to `base`.
    BadUrl { path: String, base: String },
    /// Not an http(s) URL (`javascript:`, `data:`, `file:`, ...): refused before any request.
    Scheme { url: String, scheme: String },
    /// fetch() rejected: network down, server gone, or (other origin) no CORS permission.
    Network { url: String, cross_origin: bool },
    /// The server answered with an error status.
    Status { url: String, status: u16 },
    /// The body could not be read to the end.
    Body { url: String },
    /// Larger than any flash; `size` is what the server announced or what had arrived.
    TooLarge { url: String, size: usize },
    /// Nothing arrived for `STALL_TIMEOUT_MS`.
    Stalled { url: String },
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

/// `Ok` for an absolute http(s) URL; anything else is refused with its scheme.
pub fn check_scheme(url: &str) -> Result<(), FetchError> {
    let scheme = Url::new(url)
        .map(|u| u.protocol())
        .map_err(|_| FetchError::BadUrl {
            path: url.to_owned(),
            base: String::new(),
        })?;
    if SCHEMES.contains(&scheme.as_str()) {
        Ok(())
    } else {
        Err(FetchError::Scheme {
            url: url.to_owned(),
            scheme,
        })
    }
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

/// Aborts a download when nothing arrived for `STALL_TIMEOUT_MS`. Its timer is never cleared: each
/// firing either aborts, re-schedules itself for the time left, or (download over) does nothing, so
/// no callback can outlive what it refers to.
struct StallWatch {
    controller: AbortController,
    last_progress_ms: Cell<f64>,
    over: Cell<bool>,
}

impl StallWatch {
    fn start(controller: AbortController) -> Rc<Self> {
        let watch = Rc::new(Self {
            controller,
            last_progress_ms: Cell::new(now_ms()),
            over: Cell::new(false),
        });
        Self::check_in(watch.clone(), STALL_TIMEOUT_MS);
        watch
    }

    fn check_in(watch: Rc<Self>, delay_ms: i32) {
        let check = Closure::once_into_js(move || {
            if watch.over.get() {
                return;
            }
            let idle = now_ms() - watch.last_progress_ms.get();
            if idle >= f64::from(STALL_TIMEOUT_MS) {
                watch.controller.abort();
            } else {
                let left = (f64::from(STALL_TIMEOUT_MS) - idle).ceil() as i32;
                Self::check_in(watch, left);
            }
        });
        if let Some(window) = web_sys::window() {
            let _timer_id = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                check.unchecked_ref(),
                delay_ms,
            );
        }
    }

    fn progressed(&self) {
        self.last_progress_ms.set(now_ms());
    }

    fn stalled(&self) -> bool {
        self.controller.signal().aborted()
    }
}

/// Ends the watch when the download ends, however it ends.
struct StallGuard(Rc<StallWatch>);

impl Drop for StallGuard {
    fn drop(&mut self) {
        self.0.over.set(true);
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Download a whole file into memory; `url` must already be absolute (see `resolve`).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    check_scheme(url)?;
    let window = web_sys::window().expect("the page runs in a window");
    let owned = || url.to_owned();
    let controller = AbortController::new().map_err(|_| FetchError::Body { url: owned() })?;
    let init = RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    let guard = StallGuard(StallWatch::start(controller));
    let fail = |guard: &StallGuard, otherwise: FetchError| {
        if guard.0.stalled() {
            FetchError::Stalled { url: owned() }
        } else {
            otherwise
        }
    };
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| {
            fail(
                &guard,
                FetchError::Network {
                    url: owned(),
                    cross_origin: is_cross_origin(url),
                },
            )
        })?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status {
            url: owned(),
            status: response.status(),
        });
    }
    let announced = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.trim().parse::<usize>().ok());
    if let Some(size) = announced.filter(|&n| n > MAX_DOWNLOAD_BYTES) {
        return Err(FetchError::TooLarge { url: owned(), size });
    }
    let Some(body) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(announced.unwrap_or(0));
    loop {
        guard.0.progressed();
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| fail(&guard, FetchError::Body { url: owned() }))?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .map(|d| d.is_truthy())
            .unwrap_or(true);
        if done {
            return Ok(bytes);
        }
        let value = js_sys::Reflect::get(&chunk, &JsValue::from_str("value"))
            .map_err(|_| FetchError::Body { url: owned() })?;
        bytes.extend(value.unchecked_into::<Uint8Array>().to_vec());
        if bytes.len() > MAX_DOWNLOAD_BYTES {
            let _stop_the_transfer: Promise = reader.cancel();
            return Err(FetchError::TooLarge {
                url: owned(),
                size: bytes.len(),
            });
        }
    }
}

fn is_cross_origin(url: &str) -> bool {
    let page = web_sys::window().and_then(|w| w.location().origin().ok());
    let target = Url::new(url).ok().map(|u| u.origin());
    page.is_none() || target.is_none() || page != target
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadUrl { path, base } if base.is_empty() => {
                write!(f, "\"{path}\" is not a valid URL; check the link")
            }
            Self::BadUrl { path, base } => {
                write!(
                    f,
                    "\"{path}\" is not a valid URL (relative to {base}); check the link"
                )
            }
            Self::Scheme { url, scheme } => write!(
                f,
                "refused to open {url}: bkflash only downloads http:// and https:// addresses, \
                 not {scheme} ones; link to the file's web address instead"
            ),
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
            Self::TooLarge { url, size } => write!(
                f,
                "refused to download {url}: it is {} bytes or more, larger than any flash \
                 bkflash writes ({} MiB); link to the firmware file itself",
                size,
                MAX_DOWNLOAD_BYTES / (1024 * 1024)
            ),
            Self::Stalled { url } => write!(
                f,
                "gave up downloading {url}: nothing arrived for {} s; check your connection and retry",
                STALL_TIMEOUT_MS / 1000
            ),
            Self::Manifest { url, error } => write!(f, "{url}: {error}"),
        }
    }
}

impl std::error::Error for FetchError {}
