//! bkflash-web: the flasher page (Leptos, CSR) and the Web Serial transport.
