//! The wire protocol, sans IO: opcode table, command encoding, reply decoding and matching.
//! The `Flasher` drives it over a `Transport`; tests drive it with byte vectors.

pub mod command;
pub mod decoder;
pub mod frame;
pub mod opcode;
pub mod status;

pub use command::{Command, EncodeError, EraseSize, SECTOR_LEN};
pub use decoder::Decoder;
pub use frame::{Frame, Match};
pub use opcode::{FrameForm, OPCODES, Opcode, OpcodeInfo};
pub use status::status_kind;
