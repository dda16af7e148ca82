//! A Rust std plugin for the interop corpus: everything it does with the outside world goes
//! through std, which on wasm32-wasi calls WASI preview1, which the adapter shipped by jco
//! turns into WASI 0.2. Only the export glue (`bindings.rs`, generated) is plugin-actors'.

mod bindings;

use bindings::interop::rust_std::{files, notes, system};
use std::collections::hash_map::RandomState;
use std::fs::{self, OpenOptions};
use std::hash::{BuildHasher, Hash, Hasher};
use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Probe;

fn text<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

impl files::Guest for Probe {
    fn read_text(path: String) -> Result<String, String> {
        fs::read_to_string(path).map_err(text)
    }

    fn list_dir(path: String) -> Result<Vec<String>, String> {
        let mut names = Vec::new();
        for entry in fs::read_dir(path).map_err(text)? {
            let entry = entry.map_err(text)?;
            let kind = if entry.file_type().map_err(text)?.is_dir() { "/" } else { "" };
            names.push(format!("{}{}", entry.file_name().to_string_lossy(), kind));
        }
        names.sort();
        Ok(names)
    }

    fn write_text(path: String, contents: String) -> Result<(), String> {
        fs::write(path, contents).map_err(text)
    }
}

impl system::Guest for Probe {
    fn env_var(name: String) -> Option<String> {
        std::env::var(name).ok()
    }

    fn args() -> Vec<String> {
        std::env::args().collect()
    }

    fn wall_clock_seconds() -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(u64::MAX)
    }

    fn measure_sleep(millis: u32) -> u64 {
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(millis as u64));
        start.elapsed().as_nanos() as u64
    }

    fn hash_probe() -> u64 {
        let mut hasher = RandomState::new().build_hasher();
        "interop".hash(&mut hasher);
        hasher.finish()
    }

    fn print(text: String) {
        println!("{}", text);
    }

    fn eprint(text: String) {
        eprintln!("{}", text);
    }

    fn exit(code: i32) {
        std::process::exit(code)
    }

    fn echo(text: String) -> String {
        let reversed: String = text.chars().rev().collect();
        format!("{}|{}|{}", text, text.chars().count(), reversed)
    }
}

impl notes::Guest for Probe {
    type Notebook = Notebook;
}

struct Notebook {
    path: String,
}

impl notes::GuestNotebook for Notebook {
    fn new(path: String) -> Self {
        Notebook { path }
    }

    fn add(&self, line: String) -> Result<u32, String> {
        let mut file = OpenOptions::new().create(true).append(true).open(&self.path).map_err(text)?;
        writeln!(file, "{}", line).map_err(text)?;
        Ok(self.lines()?.len() as u32)
    }

    fn lines(&self) -> Result<Vec<String>, String> {
        Ok(fs::read_to_string(&self.path).map_err(text)?.lines().map(String::from).collect())
    }
}

bindings::export!(Probe);
