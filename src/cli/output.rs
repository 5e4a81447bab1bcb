//! Where `explain` puts its output: stdout, or with `-o FILE` that file (then stdout gets one
//! line naming it); `--open` (HTML only) also opens the page in the system's browser when one
//! can be started, writing it to the temporary directory when no `-o` was given.

use super::Failure;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Writes `text` as asked and returns what goes to stdout.
pub fn deliver(
    text: String,
    file: Option<&Path>,
    open: bool,
    default_name: &str,
) -> Result<String, Failure> {
    let path: PathBuf = match (file, open) {
        (Some(file), _) => file.to_path_buf(),
        (None, true) => std::env::temp_dir().join(default_name),
        (None, false) => return Ok(text),
    };
    std::fs::write(&path, text)
        .map_err(|e| Failure(format!("error: cannot write `{}`: {e}", path.display())))?;
    let shown = std::fs::canonicalize(&path).unwrap_or(path);
    let mut out = format!("wrote {}\n", shown.display());
    if open {
        match open_in_browser(&shown) {
            Ok(program) => out.push_str(&format!("opening it with `{program}`\n")),
            Err(why) => out.push_str(&format!(
                "no browser could be started ({why}): open file://{} yourself\n",
                shown.display()
            )),
        }
    }
    Ok(out)
}

/// Starts the platform's opener on `path` without waiting for it; returns the opener's name.
fn open_in_browser(path: &Path) -> Result<&'static str, String> {
    let (program, args): (&str, Vec<&std::ffi::OsStr>) = if cfg!(target_os = "macos") {
        ("open", vec![path.as_os_str()])
    } else if cfg!(windows) {
        ("explorer", vec![path.as_os_str()])
    } else {
        ("xdg-open", vec![path.as_os_str()])
    };
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| program)
        .map_err(|e| format!("`{program}`: {e}"))
}
