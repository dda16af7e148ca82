//! Step 2, in Rust: masks every run of four or more digits (card and phone numbers).

mod bindings;

use bindings::example::text_pipeline::step::Guest;
use plugin_actors_guest::log;

struct Redact;

impl Guest for Redact {
    fn describe() -> String {
        "masks runs of four or more digits".to_string()
    }

    fn run(text: String) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut digits = String::new();
        let mut masked = 0;
        let mut flush = |digits: &mut String, out: &mut String| {
            if digits.chars().count() >= 4 {
                out.extend(std::iter::repeat('#').take(digits.chars().count()));
                masked += 1;
            } else {
                out.push_str(digits);
            }
            digits.clear();
        };
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                flush(&mut digits, &mut out);
                out.push(c);
            }
        }
        flush(&mut digits, &mut out);
        log::debug(&format!("masked {} numbers", masked));
        Ok(out)
    }
}

bindings::export!(Redact);
