//! What the page shows when its code panics: a wasm panic stops every job where it stood, so the
//! page says so at the top instead of leaving a progress bar that never moves.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// The banner's id, for tests and for the report the user copies.
pub const BANNER_ID: &str = "internal-error";

/// Log the panic as before and put the banner on the page; plain DOM calls, because the reactive
/// runtime that would render a view may be what broke.
pub fn install_panic_banner() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_internal_error(&info.to_string());
    }));
}

/// Add the banner (once) with `detail`, the panic's text.
pub fn show_internal_error(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id(BANNER_ID).is_some() {
        return;
    }
    let (Ok(banner), Some(body)) = (document.create_element("section"), document.body()) else {
        return;
    };
    banner.set_id(BANNER_ID);
    banner.set_class_name("notice error");
    let _role_is_cosmetic = banner.set_attribute("role", "alert");
    banner.set_inner_html(
        "<h2>bkflash stopped on an internal error</h2>\
         <p>The running job did not finish and the page no longer responds. Reload the page and \
         connect again. If a write or erase was running, the flash may hold a partly written image: \
         write the file again, or restore the backup (it is kept under Backups).</p>\
         <p>Please report this, with the text below, at the project's issue tracker.</p>\
         <pre></pre>",
    );
    if let Ok(Some(pre)) = banner.query_selector("pre") {
        pre.set_text_content(Some(detail));
    }
    let _placed_or_page_gone = body.insert_before(&banner, body.first_child().as_ref());
    if let Ok(element) = banner.dyn_into::<HtmlElement>() {
        element.set_tab_index(-1);
        let _focus_is_best_effort = element.focus();
    }
}
