//! Headless Chromium for the HTML page's tests: found on the PATH (or `SYMDIFF_CHROMIUM`), run
//! with `--dump-dom` on a `file://` URL so the page's scripts run before the DOM is printed,
//! or with `--screenshot`. Without a browser the tests say so and pass, except under CI (`CI`
//! set), where a browser that cannot start is a failure: `.ci/run` installs one.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The browser to run, or `None` (outside CI) when there is none; under CI, a panic.
pub fn chromium() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("SYMDIFF_CHROMIUM") {
        Some(path) => vec![PathBuf::from(path)],
        None => ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .map(PathBuf::from)
            .collect(),
    };
    for candidate in candidates {
        let started = Command::new(&candidate).arg("--version").output();
        if started.is_ok_and(|o| o.status.success()) {
            return Some(candidate);
        }
    }
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(
        !ci,
        "CI is set and no headless Chromium could be started (tried SYMDIFF_CHROMIUM, chromium, chromium-browser, google-chrome): .ci/run installs the Debian package `chromium`"
    );
    eprintln!(
        "note: no Chromium found; the browser tests did not run (install the `chromium` package)"
    );
    None
}

/// The flags every run shares: headless, no sandbox (CI runs as root), no GPU, no network
/// services of the browser's own, console messages on stderr.
fn base(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        "--hide-scrollbars",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// The page's DOM after its scripts ran, and the browser's stderr (console messages).
pub fn dump_dom(browser: &Path, url: &str, profile: &Path) -> (String, String) {
    let output: Output = base(browser, profile)
        .args(["--virtual-time-budget=5000", "--dump-dom", url])
        .output()
        .expect("the browser starts");
    assert!(
        output.status.success(),
        "chromium --dump-dom {url} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A screenshot of the page at `url`, `width`×`height`, written to `png`.
pub fn screenshot(
    browser: &Path,
    url: &str,
    png: &Path,
    (width, height): (u32, u32),
    profile: &Path,
) {
    let output = base(browser, profile)
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .output()
        .expect("the browser starts");
    assert!(
        output.status.success() && png.exists(),
        "chromium --screenshot {url} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A `file://` URL of a path, with a fragment.
pub fn file_url(path: &Path, fragment: &str) -> String {
    let path = std::fs::canonicalize(path).expect("the page exists");
    format!("file://{}#{fragment}", path.display())
}

/// The text of the element `<pre id="ID">` in a dumped DOM, with the serializer's escapes
/// undone.
pub fn pre_text(dom: &str, id: &str) -> Option<String> {
    let open = format!("<pre id=\"{id}\">");
    let start = dom.find(&open)? + open.len();
    let end = start + dom[start..].find("</pre>")?;
    Some(
        dom[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&"),
    )
}
