//! What `train` shows while it runs, on stderr: on a terminal a progress bar (indicatif) with
//! the epoch, the batch, the running loss, examples per second and the time left, below about
//! twenty epoch lines for the run; otherwise
//! (or with `--quiet` or `--log-every N`) one line per epoch (every N-th), which logs and pipes
//! keep readable.

use super::history::Epoch;
use crate::cli::metrics::short;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A bar redrawn in place (a terminal).
    Bar,
    /// A line every this many epochs (and after the last).
    Lines(usize),
}

impl Mode {
    /// A bar when stderr is a terminal and neither `--quiet` nor `--log-every` is given.
    pub fn choose(quiet: bool, log_every: Option<usize>) -> Mode {
        match log_every {
            Some(n) => Mode::Lines(n.max(1)),
            None if quiet || !std::io::stderr().is_terminal() => Mode::Lines(1),
            None => Mode::Bar,
        }
    }
}

/// The progress display of one run.
pub struct Progress {
    mode: Mode,
    bar: Option<ProgressBar>,
    epochs: usize,
    batches: usize,
    started: Instant,
    /// Rows seen so far and the time the bar last recomputed the rate.
    seen: u64,
}

impl Progress {
    /// A display for `epochs` epochs of `batches` batches over `rows` rows each.
    pub fn new(mode: Mode, epochs: usize, batches: usize, rows: usize) -> Progress {
        let bar = (mode == Mode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some((epochs * rows) as u64),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            let style =
                ProgressStyle::with_template("{prefix} [{bar:24}] {percent:>3}%  {msg}  ETA {eta}")
                    .expect("a valid template")
                    .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        Progress {
            mode,
            bar,
            epochs,
            batches,
            started: Instant::now(),
            seen: 0,
        }
    }

    /// After batch `batch` (from 1) of epoch `epoch` (from 1), which had `rows` rows;
    /// `running` is the mean loss of the epoch's batches so far.
    pub fn batch(&mut self, epoch: usize, batch: usize, rows: usize, running: f64) {
        self.seen += rows as u64;
        if let Some(bar) = &self.bar {
            let rate = self.seen as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
            bar.set_prefix(format!(
                "epoch {epoch}/{} batch {batch}/{}",
                self.epochs, self.batches
            ));
            bar.set_message(format!(
                "loss {}  {} examples/s",
                short(running),
                rate_text(rate)
            ));
            bar.set_position(self.seen);
        }
    }

    /// At the end of an epoch.
    pub fn epoch(&mut self, record: &Epoch) {
        match self.mode {
            Mode::Bar => {
                // Above the bar, about twenty lines for the whole run.
                let every = self.epochs.div_ceil(20);
                let shown = record.epoch.is_multiple_of(every) || record.epoch == self.epochs;
                if let Some(bar) = self.bar.as_ref().filter(|_| shown) {
                    bar.println(record.line(self.epochs));
                }
            }
            Mode::Lines(every) => {
                if record.epoch.is_multiple_of(every) || record.epoch == self.epochs {
                    let mut err = std::io::stderr().lock();
                    let _ = writeln!(err, "{}", record.line(self.epochs));
                }
            }
        }
    }

    /// Removes the bar (the summary follows).
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// `850`, `12.3k`, `1.25M`.
fn rate_text(rate: f64) -> String {
    match rate {
        r if r >= 1e6 => format!("{:.2}M", r / 1e6),
        r if r >= 1e4 => format!("{:.1}k", r / 1e3),
        r => format!("{r:.0}"),
    }
}
