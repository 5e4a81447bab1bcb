//! Ctrl-C during `train`: the first one asks the loop to stop after the current batch, save the
//! params and print its summary (exit status 130); a second one ends the process at once.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static PRESSES: AtomicUsize = AtomicUsize::new(0);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler (once per process; a failure to install leaves the default, which ends
/// the process, and is not an error).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if PRESSES.fetch_add(1, Ordering::SeqCst) >= 1 {
            std::process::exit(130);
        }
    });
}

/// Whether Ctrl-C was pressed since [`install`].
pub fn requested() -> bool {
    PRESSES.load(Ordering::SeqCst) > 0
}

/// Records that a run stopped on Ctrl-C, for the exit status.
pub fn mark_interrupted() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether a run stopped on Ctrl-C (the binary then exits with 130, as shells expect).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
