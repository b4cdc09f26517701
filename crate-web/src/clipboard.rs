//! The system clipboard for the page's Copy buttons. Browsers may refuse (no focus, no permission),
//! so each button is told whether the text went through and says what to do instead.

use wasm_bindgen_futures::JsFuture;

/// Put `text` on the clipboard; false when the browser refused or the page has no window.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    JsFuture::from(window.navigator().clipboard().write_text(text))
        .await
        .is_ok()
}
