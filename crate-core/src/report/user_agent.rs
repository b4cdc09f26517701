//! The browser, its major version and the OS, read from a user-agent string, for the report's
//! first lines (the whole string follows them, in case this table misreads a browser).

use alloc::format;
use alloc::string::String;

/// Product tokens, most specific first: Edge and Opera also say "Chrome/", every Chromium "Safari/".
static BROWSERS: [(&str, &str); 5] = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Version/", "Safari"),
];

/// Platform words, most specific first: Android and ChromeOS also say "Linux".
static SYSTEMS: [(&str, &str); 7] = [
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
];

/// "Chrome 140 on Linux", or as much of it as the string tells.
pub fn browser_summary(user_agent: &str) -> String {
    let browser = BROWSERS.iter().find_map(|(token, name)| {
        let at = user_agent.find(token)? + token.len();
        let major: String = user_agent[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some(format!("{name} {major}"))
    });
    let system = SYSTEMS
        .iter()
        .find(|(token, _)| user_agent.contains(token))
        .map(|row| row.1);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser,
        (None, Some(system)) => format!("an unknown browser on {system}"),
        (None, None) => String::from("an unknown browser"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers_are_named_with_their_version_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
                "Chrome 140 on Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36 Edg/139.0.0.0",
                "Edge 139 on Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:151.0) Gecko/20100101 Firefox/151.0",
                "Firefox 151 on macOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36",
                "Chrome 148 on Android",
            ),
            ("curl/8.0", "an unknown browser"),
        ];
        for (agent, expected) in cases {
            assert_eq!(browser_summary(agent), expected, "{agent}");
        }
    }
}
