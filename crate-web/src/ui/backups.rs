//! The backups kept in this browser: name, chip, date, size and CRC-32 of each, to download again,
//! restore or delete. Filled at start-up and after every backup the page takes.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backups::{StoredBackup, store};
use crate::files;
use crate::inside;
use crate::jobs::start_restore;
use crate::session::{Outcome, Session};

/// Show the stored backups again (after a delete, or at start-up).
async fn reload(session: Session) {
    match store::list().await {
        Ok(list) => session.backups.set(list),
        Err(why) => session.outcome.set(Some(Outcome::Failed(why))),
    }
    if let Some(persistent) = store::is_persistent().await {
        session.backups_persistent.set(Some(persistent));
    }
}

fn taken(backup: &StoredBackup) -> String {
    files::backup_tags(&backup.name).map_or_else(
        || {
            let date = js_sys::Date::new(&backup.saved_ms.into());
            String::from(date.to_locale_string("en-CA", &wasm_bindgen::JsValue::UNDEFINED))
        },
        |tags| tags.taken,
    )
}

fn chip_of(backup: &StoredBackup) -> String {
    files::backup_tags(&backup.name).map_or_else(
        || String::from("unknown"),
        |tags| tags.chip.to_ascii_uppercase(),
    )
}

#[component]
fn BackupRow(backup: StoredBackup) -> impl IntoView {
    let session = expect_context::<Session>();
    let name = backup.name.clone();
    let fail = move |why: String| session.outcome.set(Some(Outcome::Failed(why)));
    let download = {
        let name = name.clone();
        move |_| {
            let name = name.clone();
            spawn_local(async move {
                match store::read(&name).await {
                    Ok(bytes) => {
                        if let Err(why) = files::download(&name, &bytes) {
                            fail(why);
                        }
                    }
                    Err(why) => fail(why),
                }
            });
        }
    };
    let look_inside = {
        let name = name.clone();
        move |_| {
            let name = name.clone();
            spawn_local(async move {
                match store::read(&name).await {
                    Ok(bytes) => inside::open(&name, &bytes),
                    Err(why) => fail(why),
                }
            });
        }
    };
    let restore = {
        let name = name.clone();
        move |_| {
            let name = name.clone();
            spawn_local(async move {
                match store::read(&name).await {
                    Ok(bytes) => start_restore(session, name, bytes),
                    Err(why) => fail(why),
                }
            });
        }
    };
    let delete = {
        let name = name.clone();
        move |_| {
            let name = name.clone();
            let question = format!(
                "Delete the backup {name} from this browser? Copies you saved elsewhere stay."
            );
            session.ask(question, "Yes, delete", move || {
                spawn_local(async move {
                    if let Err(why) = store::remove(&name).await {
                        fail(why);
                    }
                    reload(session).await;
                });
            });
        }
    };
    let can_restore = move || session.chip.get().is_some() && session.busy.get().is_none();
    view! {
        <tr class="backup" data-name=name.clone()>
            <td class="mono backup-name">{name.clone()}</td>
            <td class="backup-chip">{chip_of(&backup)}</td>
            <td class="backup-date">{taken(&backup)}</td>
            <td class="backup-size">{format!("{} KiB", backup.size / 1024)}</td>
            <td class="mono backup-crc">{format!("{:08x}", backup.crc)}</td>
            <td class="row">
                <button type="button" class="backup-download" on:click=download>"Download"</button>
                <button type="button" class="backup-inside" on:click=look_inside>"Look inside"</button>
                <button type="button" class="backup-restore" on:click=restore disabled=move || !can_restore()>"Restore"</button>
                <button type="button" class="backup-delete danger" on:click=delete>"Delete"</button>
            </td>
        </tr>
    }
}

#[component]
pub fn BackupsSection() -> impl IntoView {
    let session = expect_context::<Session>();
    spawn_local(reload(session));
    let storage_words = move || match session.backups_persistent.get() {
        Some(true) => "The browser keeps them until you delete them or clear this site's data.",
        Some(false) => {
            "The browser may delete them when the disk runs low: keep the copies you saved too."
        }
        None => "Kept in this browser's storage for this site.",
    };
    view! {
        <section class="panel" aria-labelledby="backups-title">
            <h2 id="backups-title">"Backups"</h2>
            <p class="hint">
                "Every backup this page takes is also kept here (the newest "{store::KEEP}"). "
                <span id="backups-storage">{storage_words}</span>
            </p>
            {move || {
                let list = session.backups.get();
                if list.is_empty() {
                    view! { <p id="backups-empty" class="hint">"No backups yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll"><table id="backups">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Chip"</th><th scope="col">"Taken"</th>
                                <th scope="col">"Size"</th><th scope="col">"CRC-32"</th><th scope="col">"Actions"</th>
                            </tr></thead>
                            <tbody>{list.into_iter().map(|b| view! { <BackupRow backup=b /> }).collect_view()}</tbody>
                        </table></div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
