//! The `symdiff` command: a thin shell over the library. Exit status 0 on success, 1 on an input
//! error (message on stderr), 2 on a usage error (clap's own status).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{failure}");
            ExitCode::from(1)
        }
    }
}
