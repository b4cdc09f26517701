//! bkflash-web: the flasher page (Leptos, CSR) and the Web Serial transport.
//! Browser-only: on a host target the crate is empty, so native workspace builds skip Leptos.
#![cfg(target_arch = "wasm32")]

pub mod adapters;
mod app;
mod notice;
pub mod serial;
pub mod support;

pub use app::App;
