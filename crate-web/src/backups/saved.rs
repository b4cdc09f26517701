//! A backup that was saved, read back and found equal to the chip (`take.rs` makes it), and the
//! sentence saying where its copies are.

/// A backup that was saved, read back and found equal to the chip.
#[derive(Clone, Debug)]
pub struct SavedBackup {
    pub name: String,
    pub size: usize,
    pub crc: u32,
    /// The file name the user chose in the save dialog.
    pub chosen_file: Option<String>,
    /// Kept in this browser's storage (the Backups list).
    pub kept_here: bool,
    /// Also offered as a download (where there is no save dialog).
    pub downloaded: bool,
    /// Why a copy is missing, in words.
    pub notes: Vec<String>,
}

impl SavedBackup {
    /// Where the backup is, for the result text.
    pub fn sentence(&self) -> String {
        let mut places = Vec::new();
        if let Some(file) = &self.chosen_file {
            places.push(format!("saved as {file} where you chose"));
        }
        if self.kept_here {
            places.push(format!(
                "kept in this browser as {} (see Backups)",
                self.name
            ));
        }
        if self.downloaded {
            places.push(String::from(
                "offered as a download (look in your downloads folder)",
            ));
        }
        let mut text = format!(
            "Backup of the whole flash ({} bytes, CRC-32 {:08x}, read back and checked against the chip): {}.",
            self.size,
            self.crc,
            places.join("; ")
        );
        for note in &self.notes {
            text.push(' ');
            text.push_str(note);
        }
        text
    }
}
