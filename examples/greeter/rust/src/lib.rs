//! The greeter world in Rust: the same behaviour as the AssemblyScript and Node examples.

mod bindings;

use bindings::example::greeter::api::{Delivery, Guest, GuestCounter, Stats};
use plugin_actors_guest::log;
use std::cell::Cell;

struct Greeter;

thread_local! {
    static CALLS: Cell<u32> = Cell::new(0);
    static CHARACTERS: Cell<u64> = Cell::new(0);
}

/// Counts a call and the characters it returned (UTF-16 units, as the other examples do).
fn count(text: String) -> String {
    CALLS.with(|c| c.set(c.get() + 1));
    CHARACTERS.with(|c| c.set(c.get() + text.encode_utf16().count() as u64));
    text
}

impl Guest for Greeter {
    type Counter = MyCounter;

    fn greet(name: String) -> String {
        log::debug(&format!("greeting {}", name));
        count(format!("Hello, {}!", name))
    }

    fn greet_with(name: String, delivery: Delivery) -> String {
        let plain = format!("Hello, {}!", name);
        count(match delivery {
            Delivery::Plain => plain,
            Delivery::Repeat(n) => vec![plain; n as usize].join(" "),
            Delivery::Wrapped((before, after)) => format!("{}{}{}", before, plain, after),
        })
    }

    fn sum(values: Vec<u32>) -> u64 {
        CALLS.with(|c| c.set(c.get() + 1));
        values.iter().map(|&v| v as u64).sum()
    }

    fn get_stats() -> Stats {
        Stats { calls: CALLS.with(Cell::get), characters: CHARACTERS.with(Cell::get) }
    }

    fn words(line: String) -> Result<Vec<String>, String> {
        CALLS.with(|c| c.set(c.get() + 1));
        if line.is_empty() {
            return Err("the line is empty".to_string());
        }
        Ok(line.split(' ').filter(|w| !w.is_empty()).map(String::from).collect())
    }
}

/// A counter's state lives in the plugin; `Cell` because methods take `&self`.
struct MyCounter {
    value: Cell<u32>,
}

impl GuestCounter for MyCounter {
    fn new(start: u32) -> Self {
        MyCounter { value: Cell::new(start) }
    }

    fn increment(&self, by: u32) -> u32 {
        self.value.set(self.value.get().wrapping_add(by));
        self.value.get()
    }

    fn get(&self) -> u32 {
        self.value.get()
    }
}

bindings::export!(Greeter);
