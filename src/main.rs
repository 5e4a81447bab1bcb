//! The `symdiff` command: a thin shell over the library. Exit status 0 on success, 1 on an input
//! error (message on stderr), 2 on a usage error (clap's own status).

mod cli;

use clap::Parser;
use std::io::{ErrorKind, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(output) => match std::io::stdout().write_all(output.as_bytes()) {
            // A reader that stopped reading (`symdiff graph ... | head`) wanted no more.
            Err(e) if e.kind() != ErrorKind::BrokenPipe => {
                eprintln!("error: cannot write the output: {e}");
                ExitCode::from(1)
            }
            _ if cli::interrupted() => ExitCode::from(130),
            _ => ExitCode::SUCCESS,
        },
        Err(failure) => {
            eprint!("{failure}");
            ExitCode::from(1)
        }
    }
}
