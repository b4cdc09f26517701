//! bkflash-web: the flasher page (Leptos, CSR), the Web Serial transport and the virtual device.
//! Browser-only: on a host target the crate is empty, so native workspace builds skip Leptos.
#![cfg(target_arch = "wasm32")]

pub mod adapters;
mod app;
pub mod device;
pub mod files;
pub mod jobs;
pub mod logs;
pub mod manifest;
mod notice;
pub mod serial;
pub mod session;
pub mod sim_bridge;
pub mod support;
pub mod ui;

pub use app::App;
