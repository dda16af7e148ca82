//! Writing to the host application's logger (`plugin-actors:host/log`), under the plugin's
//! name. Every plugin world imports this interface; the host always provides it.

#[link(wasm_import_module = "plugin-actors:host/log@0.1.0")]
extern "C" {
    #[link_name = "log"]
    fn host_log(level: i32, message: *const u8, length: usize);
}

/// Severity of a record, lowest first (the WIT enum `level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

/// Writes one record.
pub fn log(level: Level, message: &str) {
    unsafe { host_log(level as i32, message.as_ptr(), message.len()) }
}

pub fn trace(message: &str) {
    log(Level::Trace, message)
}

pub fn debug(message: &str) {
    log(Level::Debug, message)
}

pub fn info(message: &str) {
    log(Level::Info, message)
}

pub fn warn(message: &str) {
    log(Level::Warn, message)
}

pub fn error(message: &str) {
    log(Level::Error, message)
}
